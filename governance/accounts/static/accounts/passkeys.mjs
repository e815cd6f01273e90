// Passkeys: adding one (security page, first sign-in) and confirming it is you with one (the
// second-factor page). Progressive enhancement: the passkey parts of a page stay hidden unless
// this script runs in a browser that supports WebAuthn on the portal's own domain.
// Loaded as a module from a static file, as the Content Security Policy allows no inline script.

const b64urlToBuffer = (value) => {
  const base64 = value.replace(/-/g, "+").replace(/_/g, "/");
  const padded = base64.padEnd(base64.length + ((4 - (base64.length % 4)) % 4), "=");
  const binary = atob(padded);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes.buffer;
};

const bufferToB64url = (buffer) => {
  const bytes = new Uint8Array(buffer);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
};

const toDescriptor = (descriptor) => ({ ...descriptor, id: b64urlToBuffer(descriptor.id) });

function creationOptions(json) {
  return {
    ...json,
    challenge: b64urlToBuffer(json.challenge),
    user: { ...json.user, id: b64urlToBuffer(json.user.id) },
    excludeCredentials: (json.excludeCredentials || []).map(toDescriptor),
  };
}

function requestOptions(json) {
  return {
    ...json,
    challenge: b64urlToBuffer(json.challenge),
    allowCredentials: (json.allowCredentials || []).map(toDescriptor),
  };
}

function registrationJSON(credential) {
  const { response } = credential;
  return {
    id: credential.id,
    rawId: bufferToB64url(credential.rawId),
    type: credential.type,
    response: {
      clientDataJSON: bufferToB64url(response.clientDataJSON),
      attestationObject: bufferToB64url(response.attestationObject),
      transports: typeof response.getTransports === "function" ? response.getTransports() : [],
    },
    authenticatorAttachment: credential.authenticatorAttachment || undefined,
    clientExtensionResults: credential.getClientExtensionResults(),
  };
}

function authenticationJSON(credential) {
  const { response } = credential;
  return {
    id: credential.id,
    rawId: bufferToB64url(credential.rawId),
    type: credential.type,
    response: {
      clientDataJSON: bufferToB64url(response.clientDataJSON),
      authenticatorData: bufferToB64url(response.authenticatorData),
      signature: bufferToB64url(response.signature),
      userHandle: response.userHandle ? bufferToB64url(response.userHandle) : undefined,
    },
    authenticatorAttachment: credential.authenticatorAttachment || undefined,
    clientExtensionResults: credential.getClientExtensionResults(),
  };
}

async function post(url, csrfToken, body) {
  let response;
  try {
    response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRFToken": csrfToken,
      },
      body: JSON.stringify(body || {}),
    });
  } catch {
    return { ok: false, data: {} };
  }
  const isJSON = (response.headers.get("content-type") || "").includes("application/json");
  return { ok: response.ok, data: isJSON ? await response.json() : {} };
}

// WebAuthn needs a secure context on the domain passkeys are bound to (never an IP address).
function passkeysUsable(element) {
  const rpId = element.dataset.rpId;
  const host = window.location.hostname;
  return (
    window.isSecureContext &&
    typeof window.PublicKeyCredential === "function" &&
    !!navigator.credentials &&
    (host === rpId || host.endsWith(`.${rpId}`))
  );
}

function reveal(element) {
  element.hidden = false;
  const scope = element.parentElement || document;
  scope.querySelectorAll("[data-passkey-unavailable]").forEach((note) => {
    note.hidden = true;
  });
}

const CANCELLED = "NotAllowedError";

function initSignIn(element) {
  if (!passkeysUsable(element)) return;
  const button = element.querySelector("[data-passkey-start]");
  const error = element.querySelector("[data-passkey-error]");
  const errorText = element.querySelector("[data-passkey-error-text]");
  const csrfToken = element.querySelector("input[name='csrfmiddlewaretoken']").value;
  const label = button.textContent;

  const fail = (message) => {
    errorText.textContent = message;
    error.hidden = false;
    button.disabled = false;
    button.textContent = label;
    button.focus();
  };

  button.addEventListener("click", async () => {
    error.hidden = true;
    button.disabled = true;
    button.textContent = "Waiting for your passkey…";
    const begin = await post(element.dataset.beginUrl, csrfToken);
    if (!begin.ok) {
      fail("You cannot use a passkey now. Enter a code from your authenticator app instead.");
      return;
    }
    let credential;
    try {
      credential = await navigator.credentials.get({ publicKey: requestOptions(begin.data) });
    } catch (exc) {
      fail(
        exc.name === CANCELLED
          ? "The passkey was not used. Try again, or enter a code from your authenticator app."
          : "Your passkey could not be used. Try again, or enter a code from your authenticator app.",
      );
      return;
    }
    const url = new URL(element.dataset.completeUrl, window.location.origin);
    const nextField = document.querySelector("input[name='next']");
    const next = (nextField && nextField.value) || new URLSearchParams(window.location.search).get("next");
    if (next) url.searchParams.set("next", next);
    const complete = await post(url.toString(), csrfToken, authenticationJSON(credential));
    if (!complete.ok || !complete.data.redirect_url) {
      fail("Your passkey was not accepted. Try again, or enter a code from your authenticator app.");
      return;
    }
    window.location.assign(complete.data.redirect_url);
  });
  reveal(element);
}

function initRegister(element) {
  if (!passkeysUsable(element)) return;
  const form = element.querySelector("form");
  const group = element.querySelector("[data-passkey-name-group]");
  const input = group.querySelector("input");
  const error = element.querySelector("[data-passkey-error]");
  const errorText = element.querySelector("[data-passkey-error-text]");
  const button = element.querySelector("[data-passkey-start]");
  const csrfToken = element.querySelector("input[name='csrfmiddlewaretoken']").value;
  const hintIds = input.getAttribute("aria-describedby") || "";
  const label = button.textContent;

  const showError = (message) => {
    errorText.textContent = message;
    error.hidden = false;
    group.classList.add("govuk-form-group--error");
    input.classList.add("govuk-input--error");
    input.setAttribute("aria-describedby", `${hintIds} ${error.id}`.trim());
    button.disabled = false;
    button.textContent = label;
    input.focus();
  };

  const clearError = () => {
    error.hidden = true;
    group.classList.remove("govuk-form-group--error");
    input.classList.remove("govuk-input--error");
    input.setAttribute("aria-describedby", hintIds);
  };

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearError();
    button.disabled = true;
    button.textContent = "Waiting for your passkey…";
    const begin = await post(element.dataset.beginUrl, csrfToken, { name: input.value });
    if (!begin.ok) {
      const nameErrors = begin.data.errors && begin.data.errors.name;
      showError(nameErrors ? nameErrors[0] : "You cannot add a passkey now. Try again later.");
      return;
    }
    let credential;
    try {
      credential = await navigator.credentials.create({ publicKey: creationOptions(begin.data) });
    } catch (exc) {
      const messages = {
        [CANCELLED]: "The passkey was not added. Try again when you are ready.",
        InvalidStateError: "This device already holds a passkey for your account.",
      };
      showError(messages[exc.name] || "The passkey could not be added. Try again.");
      return;
    }
    const complete = await post(element.dataset.completeUrl, csrfToken, registrationJSON(credential));
    if (!complete.ok) {
      showError("The passkey could not be added. Try again.");
      return;
    }
    if (element.dataset.successUrl) {
      window.location.assign(element.dataset.successUrl);
    } else {
      window.location.reload();
    }
  });
  reveal(element);
}

document.querySelectorAll('[data-module="app-passkey-sign-in"]').forEach(initSignIn);
document.querySelectorAll('[data-module="app-passkey-register"]').forEach(initRegister);
