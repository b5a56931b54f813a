"""The gate over built output: axe-core and keyboard/reflow in Chromium, the Nu Html Checker,
privacy (no foreign requests, no cookies, no storage) and the Content-Security-Policy."""
