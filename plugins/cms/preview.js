// The CMS preview of a post, built like the article page (theme/templates/article.html) with
// the site's classes: title, facts (date, measures, cluster), lead, image, the Leichte-Sprache
// box and the body. `SLS` (stylesheet and measure names from programme.yml) is prepended by
// plugins/cms/generator.py. No inline script: the admin CSP allows only files from /admin/.
CMS.registerPreviewStyle(SLS.stylesheet);

(() => {
  // The stored value is Berlin local time ("2026-11-30 10:00"); shown as the site shows it.
  function spelled(value) {
    const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})/.exec(String(value || ""));
    if (!match) return String(value || "");
    const [, year, month, day, hour, minute] = match.map(Number);
    const months = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
      "September", "Oktober", "November", "Dezember"];
    return `${day}. ${months[month - 1]} ${year}, ${String(hour).padStart(2, "0")}:` +
      `${String(minute).padStart(2, "0")} Uhr`;
  }

  function list(value) {
    if (value == null) return [];
    if (typeof value.toJS === "function") value = value.toJS();
    return (Array.isArray(value) ? value : [value]).filter((item) => item !== "" && item != null);
  }

  function fact(term, description) {
    return h("div", {}, h("dt", {}, term), h("dd", {}, description));
  }

  const PostPreview = createClass({
    render() {
      const data = (name) => this.props.entry.getIn(["data", name]);
      const measures = list(data("measure")).map((slug) => SLS.measures[slug]).filter(Boolean);
      const clusters = [...new Set(measures.map((measure) => measure.cluster))];
      const image = data("image");
      const easy = data("summary_easy");
      const tags = list(data("tags"));
      const facts = data("date") ? [fact("Veröffentlicht", spelled(data("date")))] : [];
      if (measures.length) {
        facts.push(fact(measures.length > 1 ? "Maßnahmen" : "Maßnahme",
          measures.map((measure) => measure.title).join(", ")));
        facts.push(fact("Cluster", clusters.join(", ")));
      }
      const asset = image ? this.props.getAsset(image) : null;
      return h("article", { className: "sls-container sls-article" },
        h("header", { className: "sls-article__header" },
          h("h1", {}, data("title") || ""),
          h("dl", { className: "sls-facts" }, ...facts),
          h("p", { className: "sls-lead" }, data("summary") || "")),
        asset ? h("figure", { className: "sls-figure" },
          h("img", { src: String(asset), alt: data("image_alt") || "" })) : null,
        easy ? h("aside", { className: "sls-easy", "aria-label": "In Leichter Sprache" },
          h("h2", { className: "sls-easy__title" }, "In Leichter Sprache"),
          h("p", {}, easy)) : null,
        h("div", { className: "sls-prose" }, this.props.widgetFor("body")),
        tags.length ? h("footer", { className: "sls-article__footer" },
          h("h2", { className: "sls-small-heading" }, "Themen"),
          h("ul", { className: "sls-taglist" },
            ...tags.map((tag) => h("li", { key: tag }, h("span", { className: "sls-tag" }, tag)))))
          : null);
    },
  });

  CMS.registerPreviewTemplate("posts", PostPreview);
})();

// Machine translation stays off. Sveltia shows a "translate" button beside every translatable
// field once a site has several languages; its services (Google, DeepL, OpenAI …) are third
// parties, which the admin CSP refuses anyway. Those buttons (German and English UI) and the
// "übersetzen" entries of the field menus are hidden as they appear (not removed: the UI
// framework still owns them); copying a field from another language stays.
(() => {
  const MACHINE = /^(Übersetzen|Aus .+ übersetzen|Übersetzen aus…|Translate|Translate from .+)$/;
  function label(element) {
    return (element.getAttribute("aria-label") || element.textContent || "").trim();
  }
  function prune(root) {
    for (const element of root.querySelectorAll("button[aria-label], [role=menuitem]")) {
      if (MACHINE.test(label(element)) && element.style.display !== "none") {
        element.style.setProperty("display", "none", "important");  // CSSOM: allowed by the CSP
      }
    }
  }
  new MutationObserver(() => prune(document)).observe(document.documentElement,
    { childList: true, subtree: true });
})();
