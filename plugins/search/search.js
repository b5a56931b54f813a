// The search of /suche/: reads ?q= (and the filters) from the address, asks the Pagefind index
// of this site and shows the results. Loaded as a file from this site (the page's CSP allows
// no inline script); without JavaScript the page's <noscript> text offers other ways in.
const form = document.querySelector("[data-search-form]");
const status = document.getElementById("suche-status");
const list = document.getElementById("suche-ergebnisse");
const params = new URLSearchParams(window.location.search);
const query = (params.get("q") || "").trim();
const LIMIT = 50;
// The messages come from the page (its language): {query}, {count} and {limit} filled in here.
function say(name, values = {}) {
  return (form.dataset[name] || "").replace(/\{(query|count|limit)\}/g, (_, key) => String(values[key]));
}

const filters = {};
for (const name of ["cluster", "massnahme"]) {
  const value = params.get(name);
  const select = form.elements[name];
  if (value && select) {
    select.value = value;
    filters[name] = value;
  }
}
form.elements.q.value = query;
// Only pages of this page's language (Leichte Sprache counts as German): Pagefind answers from
// another language's index where one of its index parts has none of this language.
const languages = (form.dataset.languages || "").split(" ").filter(Boolean);
if (languages.length) filters.sprache = { any: languages };

// Pagefind's excerpt is text with <mark> around the hits: rebuilt from text nodes and marks
// only, so nothing else from an indexed page can become markup here. Cut out of the page's text,
// it says so with "…" where it does not start or end with that text.
function excerpt(html, content) {
  const paragraph = document.createElement("p");
  paragraph.className = "sls-search__excerpt";
  const parsed = new DOMParser().parseFromString(html, "text/html");
  for (const node of parsed.body.childNodes) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      paragraph.append(mark);
    } else {
      paragraph.append(node.textContent);
    }
  }
  const text = paragraph.textContent.replace(/\s+/g, " ").trim();
  const whole = (content || "").replace(/\s+/g, " ").trim();
  if (text && !whole.startsWith(text.slice(0, 30))) paragraph.prepend("… ");
  if (text && !whole.endsWith(text.slice(-30))) paragraph.append(" …");
  return paragraph;
}

function result(data) {
  const item = document.createElement("li");
  item.className = "sls-search__result";
  const heading = document.createElement("h2");
  heading.className = "sls-search__title";
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = data.meta.title || data.url;
  heading.append(link);
  const facts = document.createElement("p");
  facts.className = "sls-meta";
  // Each fact isolated (<bdi>): a Latin measure name in an Arabic line keeps its place, and
  // the dots between the facts stay between them.
  [data.meta.art, data.meta.massnahme, data.meta.datum].filter(Boolean).forEach((fact, index) => {
    const isolated = document.createElement("bdi");
    isolated.textContent = fact;
    facts.append(...(index ? [" · ", isolated] : [isolated]));
  });
  item.append(heading, facts, excerpt(data.excerpt || "", data.content));
  return item;
}

async function run() {
  status.textContent = say("running");
  try {
    const bundle = new URL("../pagefind/", import.meta.url);
    const pagefind = await import(new URL("pagefind.js", bundle).href);
    await pagefind.options({ excerptLength: 24 });
    // The posts are indexed in parts (plugins/search/indexer.py), merged into the main index.
    const layout = await fetch(new URL("teile.json", bundle)).then((response) => response.json());
    for (const part of layout.parts) {
      await pagefind.mergeIndex(new URL(part.path, bundle).href, { excerptLength: 24 });
    }
    const search = await pagefind.search(query, { filters });
    const found = await Promise.all(search.results.slice(0, LIMIT).map((hit) => hit.data()));
    list.replaceChildren(...found.map(result));
    const count = search.results.length;
    // The page gives the message of each plural category of its language ("one", "few", …).
    const category = new Intl.PluralRules(document.documentElement.lang || "de").select(count);
    const message = "found" + category.charAt(0).toUpperCase() + category.slice(1);
    status.textContent = count === 0
      ? say("none", { query })
      : say(form.dataset[message] ? message : "foundOther", { query, count })
        + (count > LIMIT ? say("more", { limit: LIMIT }) : ".");
  } catch (error) {
    status.textContent = say("failed");
  }
}

if (query) {
  run();
}
