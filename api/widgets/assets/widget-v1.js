/*
 * Kollega availability widget, version 1: <kollega-availability key="pk_..."></kollega-availability>
 *
 * A dependency-free web component that shows an organisation's next free peer-support
 * conversations, live, from GET /v1/public/availability on the server this script was loaded from.
 * Attributes: key (required), region, language ("nb" or "en"), modality, link, days, api.
 * Style it with the CSS custom properties --kollega-* or the parts container, heading, list, item,
 * time, link and message. See docs/widget.md.
 */
(() => {
  "use strict";

  const SCRIPT_ORIGIN = document.currentScript ? new URL(document.currentScript.src).origin : "";

  const TEXT = {
    en: {
      heading: "Next free conversations",
      loading: "Looking for free times…",
      none: "No free times in the coming days. Please look again later.",
      offline: "You seem to be offline. Free times will show when the connection returns.",
      refused: "Free times cannot be shown on this page.",
      failed: "Free times could not be loaded right now. Please try again later.",
      book: "Book a conversation",
      open: (n) => (n === 1 ? "1 free time" : `${n} free times`),
      counsellors: "Counsellors",
      modality: { phone: "Phone", video: "Video", in_person: "In person" },
      locale: "en-GB",
    },
    nb: {
      heading: "Neste ledige samtaler",
      loading: "Ser etter ledige tider…",
      none: "Ingen ledige tider de nærmeste dagene. Se gjerne igjen senere.",
      offline: "Du ser ut til å være uten nett. Ledige tider vises når forbindelsen er tilbake.",
      refused: "Ledige tider kan ikke vises på denne siden.",
      failed: "Ledige tider kunne ikke hentes nå. Prøv igjen senere.",
      book: "Bestill en samtale",
      open: (n) => (n === 1 ? "1 ledig tid" : `${n} ledige tider`),
      counsellors: "Kollegaveiledere",
      modality: { phone: "Telefon", video: "Video", in_person: "Oppmøte" },
      locale: "nb-NO",
    },
  };

  const STYLE = `
    :host { display: block; font: var(--kollega-font, inherit); color: var(--kollega-text, inherit); }
    section {
      background: var(--kollega-background, transparent);
      border: var(--kollega-border, 1px solid #c9ced6);
      border-radius: var(--kollega-radius, 8px);
      padding: var(--kollega-padding, 1rem);
    }
    h2 { font-size: var(--kollega-heading-size, 1.15em); margin: 0 0 0.5em; }
    ul { list-style: none; margin: 0 0 0.75em; padding: 0; }
    li { padding: 0.3em 0; border-bottom: 1px solid var(--kollega-divider, #e5e8ec); }
    li:last-child { border-bottom: none; }
    .what { font-weight: 600; }
    .count { color: var(--kollega-muted, #5b6470); }
    a {
      display: inline-block; color: var(--kollega-link-text, #fff);
      background: var(--kollega-accent, #1d5c96); border-radius: var(--kollega-radius, 8px);
      padding: 0.45em 0.9em; text-decoration: none;
    }
    a:focus-visible { outline: 3px solid var(--kollega-focus, #f2b01e); outline-offset: 2px; }
    p { margin: 0.25em 0 0.75em; }
  `;

  function element(tag, attributes, text) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  class KollegaAvailability extends HTMLElement {
    static get observedAttributes() {
      return ["key", "region", "language", "modality", "link", "days", "api"];
    }

    constructor() {
      super();
      this.attachShadow({ mode: "open" });
      this.retry = () => this.load();
    }

    connectedCallback() {
      window.addEventListener("online", this.retry);
      this.load();
    }

    disconnectedCallback() {
      window.removeEventListener("online", this.retry);
    }

    attributeChangedCallback() {
      if (this.isConnected) this.load();
    }

    get text() {
      return TEXT[this.getAttribute("language")] || TEXT.en;
    }

    url() {
      const base = this.getAttribute("api") || SCRIPT_ORIGIN || window.location.origin;
      const url = new URL("/v1/public/availability", base);
      for (const name of ["key", "region", "language", "modality", "days"]) {
        const value = this.getAttribute(name);
        if (value) url.searchParams.set(name, value);
      }
      return url;
    }

    async load() {
      const serial = (this.serial = (this.serial || 0) + 1);
      this.render({ state: "loading" });
      if (!navigator.onLine) return this.render({ state: "offline" });
      let response;
      try {
        response = await fetch(this.url(), { mode: "cors", credentials: "omit" });
      } catch (error) {
        // A CORS refusal and a lost connection look alike to a page; tell them apart by onLine.
        if (serial === this.serial) this.render({ state: navigator.onLine ? "refused" : "offline" });
        return;
      }
      if (serial !== this.serial) return;
      if (response.status === 401 || response.status === 403) return this.render({ state: "refused" });
      if (!response.ok) return this.render({ state: "failed" });
      this.render({ state: "ready", data: await response.json() });
    }

    render({ state, data }) {
      const text = this.text;
      const root = this.shadowRoot;
      root.replaceChildren(element("style", {}, STYLE));
      const section = element("section", { part: "container", "aria-labelledby": "kollega-heading" });
      section.setAttribute("aria-busy", state === "loading" ? "true" : "false");
      section.append(element("h2", { id: "kollega-heading", part: "heading" }, text.heading));
      root.append(section);
      const message = (words) => element("p", { part: "message", role: "status" }, words);
      if (state !== "ready") {
        section.append(message(text[state]));
        return;
      }
      const times = new Intl.DateTimeFormat(text.locale, {
        timeZone: data.time_zone,
        weekday: "short",
        day: "numeric",
        month: "short",
        hour: "2-digit",
        minute: "2-digit",
      });
      if (data.groups.length === 0) {
        section.append(message(text.none));
      } else {
        const list = element("ul", { part: "list" });
        for (const group of data.groups) {
          const item = element("li", { part: "item" });
          const what = [text.modality[group.modality] || group.modality];
          if (group.region) what.push(group.region.name);
          item.append(element("span", { class: "what" }, what.join(", ")), document.createTextNode(": "));
          item.append(element("time", { part: "time", datetime: group.next_free }, times.format(new Date(group.next_free))));
          item.append(document.createTextNode(" "), element("span", { class: "count" }, `(${text.open(group.open_slots)})`));
          list.append(item);
        }
        section.append(list);
      }
      if (Array.isArray(data.counsellors) && data.counsellors.length > 0) {
        section.append(element("h3", { part: "heading" }, text.counsellors));
        const names = element("ul", { part: "list" });
        for (const counsellor of data.counsellors) {
          const item = element("li", { part: "item" }, `${counsellor.display_name}: `);
          item.append(element("time", { part: "time", datetime: counsellor.next_free }, times.format(new Date(counsellor.next_free))));
          names.append(item);
        }
        section.append(names);
      }
      const link = this.getAttribute("link");
      if (link) section.append(element("a", { part: "link", href: link }, text.book));
    }
  }

  if (!customElements.get("kollega-availability")) {
    customElements.define("kollega-availability", KollegaAvailability);
  }
})();
