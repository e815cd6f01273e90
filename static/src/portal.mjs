// Progressive enhancement only: every page works without JavaScript.
// Loaded as a module from a static file, as the Content Security Policy allows no inline script.
import { initAll as initGovukFrontend } from "./govuk-frontend.min.js";
import { initAll as initMojFrontend } from "./moj-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");

initGovukFrontend();
initMojFrontend();

// WCAG 2.2.1: warn before the idle session times out, with a way to stay signed in that keeps
// whatever the person has typed on the page.
function initTimeoutWarning(dialog) {
  const timeout = Number(dialog.dataset.timeoutSeconds) * 1000;
  const warnBefore = Number(dialog.dataset.warnSeconds) * 1000;
  if (!timeout || typeof dialog.showModal !== "function") return;
  const form = dialog.querySelector("form");
  let warnTimer;
  let expireTimer;

  const schedule = () => {
    clearTimeout(warnTimer);
    clearTimeout(expireTimer);
    warnTimer = setTimeout(() => dialog.showModal(), Math.max(timeout - warnBefore, 0));
    expireTimer = setTimeout(() => {
      const next = encodeURIComponent(window.location.pathname);
      window.location.assign(`${dialog.dataset.signInUrl}?next=${next}`);
    }, timeout);
  };

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const response = await fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
    });
    dialog.close();
    if (response.ok) schedule();
  });
  schedule();
}

document
  .querySelectorAll('[data-module="app-timeout-warning"]')
  .forEach((dialog) => initTimeoutWarning(dialog));
