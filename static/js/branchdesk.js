/* Branchdesk's only script of its own (CSP: scripts from this site only, none inline).
 *
 * A refused form: scroll to its first error and put the focus there, so a manager on a phone
 * sees at once what to fix (the server keeps what they typed).
 */
(function () {
  "use strict";
  function focusFirstError() {
    var field = document.querySelector(
      "form .is-invalid, form [aria-invalid=true], form .invalid-feedback, form .errorlist, .bd-error-summary"
    );
    if (!field) { return; }
    var target = field;
    if (!/^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName)) {
      var group = field.closest(".mb-3, fieldset, .form-group, .bd-error-summary") || field;
      target = group.querySelector("input:not([type=hidden]), select, textarea") || group;
      if (!target.hasAttribute("tabindex") && !/^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName)) {
        target.setAttribute("tabindex", "-1");
      }
    }
    var box = field.closest(".mb-3, fieldset, .form-group") || field;
    box.scrollIntoView({ block: "center" });
    target.focus({ preventScroll: true });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusFirstError);
  } else {
    focusFirstError();
  }
})();
