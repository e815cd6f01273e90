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

// WCAG 2.2.1: a session also ends a fixed time after sign-in, however active the person is
// (ASVS 3.3.2). That limit cannot be extended, so warn in time to save their work.
function initSessionEndWarning(dialog) {
  const endsIn = Number(dialog.dataset.endsInSeconds) * 1000;
  const warnBefore = Number(dialog.dataset.warnSeconds) * 1000;
  if (!endsIn || typeof dialog.showModal !== "function") return;
  setTimeout(() => {
    if (!dialog.open) dialog.showModal();
  }, Math.max(endsIn - warnBefore, 0));
  setTimeout(() => {
    const next = encodeURIComponent(window.location.pathname);
    window.location.assign(`${dialog.dataset.signInUrl}?next=${next}`);
  }, endsIn + 1000);
}

document
  .querySelectorAll('[data-module="app-session-end-warning"]')
  .forEach((dialog) => initSessionEndWarning(dialog));
