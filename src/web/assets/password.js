// Password pages: tells whether the two passwords match while typing. The server checks again.
/* global document */
(function () {
  'use strict';
  var form = document.getElementById('password-form');
  if (!form) return;
  var password = document.getElementById('password');
  var confirm = document.getElementById('password_confirm');
  var hint = document.getElementById('confirm-hint');
  function check() {
    if (!confirm.value) {
      hint.textContent = '';
      confirm.removeAttribute('aria-invalid');
      return true;
    }
    var same = confirm.value === password.value;
    hint.textContent = same ? 'The passwords match.' : 'The passwords do not match yet.';
    if (same) confirm.removeAttribute('aria-invalid');
    else confirm.setAttribute('aria-invalid', 'true');
    return same;
  }
  password.addEventListener('input', check);
  confirm.addEventListener('input', check);
  var error = document.getElementById('form-error');
  if (error) password.focus();
})();
