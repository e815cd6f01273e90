// Progressive enhancement only: every page works without JavaScript.
// Loaded as a module from a static file, as the Content Security Policy allows no inline script.
import { initAll as initGovukFrontend } from "./govuk-frontend.min.js";
import { initAll as initMojFrontend } from "./moj-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");

initGovukFrontend();
initMojFrontend();
