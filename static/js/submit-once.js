// A form marked data-submit-once is sent once: while it is on its way its buttons are disabled, the
// pressed one says so (data-sending-label), and a second press or Enter does nothing. A disabled button
// sends no name and value, so the pressed one's ("step": "confirm") goes along in a hidden input.
// Without scripts the form works the same: the server answers a repeat with the first request.
function submitOnceReset(form) {
  delete form.dataset.sending;
  form.removeAttribute("aria-busy");
  form.querySelectorAll("input[data-carried]").forEach((input) => input.remove());
  form.querySelectorAll("button").forEach((button) => {
    button.disabled = false;
    if (button.dataset.label !== undefined) {
      button.textContent = button.dataset.label;
      delete button.dataset.label;
    }
  });
}

document.querySelectorAll("form[data-submit-once]").forEach((form) => {
  form.addEventListener("submit", (event) => {
    if (form.dataset.sending) {
      event.preventDefault();
      return;
    }
    form.dataset.sending = "true";
    const pressed = event.submitter;
    if (pressed && pressed.name) {
      const carried = document.createElement("input");
      carried.type = "hidden";
      carried.name = pressed.name;
      carried.value = pressed.value;
      carried.dataset.carried = "";
      form.append(carried);
    }
    form.setAttribute("aria-busy", "true");
    form.querySelectorAll("button").forEach((button) => {
      button.disabled = true;
    });
    if (pressed && form.dataset.sendingLabel) {
      pressed.dataset.label = pressed.textContent;
      pressed.textContent = form.dataset.sendingLabel;
    }
  });
});

// Back to a page the browser kept as it was: ready to send again.
window.addEventListener("pageshow", (event) => {
  if (event.persisted) {
    document.querySelectorAll("form[data-submit-once]").forEach(submitOnceReset);
  }
});
