// GoToScan page: files by drag and drop or the picker, checked against the limits shown, then sent
/* global document, FormData, XMLHttpRequest */
// with XHR so the page can show upload progress. The server checks everything again.
(function () {
  'use strict';
  var form = document.getElementById('upload-form');
  if (!form) return;
  var input = document.getElementById('scan-files');
  var zone = document.getElementById('dropzone');
  var list = document.getElementById('file-list');
  var status = document.getElementById('upload-status');
  var progressRow = document.getElementById('progress-row');
  var progress = document.getElementById('upload-progress');
  var button = document.getElementById('upload-button');
  var done = document.getElementById('upload-done');
  var maxBytes = Number(form.getAttribute('data-max-bytes'));
  var maxTotalBytes = Number(form.getAttribute('data-max-total-bytes'));
  var maxFiles = Number(form.getAttribute('data-max-files'));
  var files = [];

  function size(bytes) {
    var units = ['bytes', 'KB', 'MB', 'GB'];
    var i = 0;
    while (bytes >= 1024 && i < units.length - 1) {
      bytes /= 1024;
      i++;
    }
    return (i === 0 ? bytes : bytes.toFixed(1)) + ' ' + units[i];
  }
  function say(text, isError) {
    status.textContent = text;
    status.classList.toggle('is-error', Boolean(isError));
  }
  function acceptable(file) {
    return /^(image|video)\//.test(file.type) || /\.zip$/i.test(file.name) || file.type === 'application/zip';
  }
  function show() {
    list.textContent = '';
    files.forEach(function (f) {
      var li = document.createElement('li');
      li.textContent = f.name + ' (' + size(f.size) + ')';
      list.appendChild(li);
    });
  }
  function problem(chosen) {
    if (chosen.length === 0) return 'Choose at least one scan file.';
    if (chosen.length > maxFiles) return 'Choose at most ' + maxFiles + ' files.';
    var total = 0;
    for (var i = 0; i < chosen.length; i++) {
      if (chosen[i].size > maxBytes) return chosen[i].name + ' is larger than ' + size(maxBytes) + '.';
      if (!acceptable(chosen[i])) return chosen[i].name + ' is not a photo, a video or a ZIP archive.';
      total += chosen[i].size;
    }
    if (total > maxTotalBytes) return 'These files hold ' + size(total) + ' together; the limit is ' + size(maxTotalBytes) + '.';
    return null;
  }
  function choose(chosen) {
    files = Array.prototype.slice.call(chosen);
    show();
    var p = files.length ? problem(files) : null;
    say(p || (files.length ? files.length + ' file(s) ready to upload.' : ''), Boolean(p));
  }

  input.addEventListener('change', function () {
    choose(input.files);
  });
  ['dragenter', 'dragover'].forEach(function (type) {
    zone.addEventListener(type, function (e) {
      e.preventDefault();
      zone.classList.add('is-over');
    });
  });
  ['dragleave', 'drop'].forEach(function (type) {
    zone.addEventListener(type, function () {
      zone.classList.remove('is-over');
    });
  });
  zone.addEventListener('drop', function (e) {
    e.preventDefault();
    if (!e.dataTransfer || !e.dataTransfer.files) return;
    // The input holds the dropped files too, so the form's own validation sees them.
    try {
      input.files = e.dataTransfer.files;
    } catch {
      /* older browsers: the list below still has them */
    }
    choose(e.dataTransfer.files);
  });

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    var p = problem(files);
    if (p) {
      say(p, true);
      input.focus();
      return;
    }
    var data = new FormData();
    files.forEach(function (f) {
      data.append('files', f, f.name);
    });
    var xhr = new XMLHttpRequest();
    xhr.open('POST', form.getAttribute('action'));
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.addEventListener('progress', function (ev) {
      if (!ev.lengthComputable) return;
      var pct = Math.round((ev.loaded / ev.total) * 100);
      progress.value = pct;
      progress.textContent = pct + '%';
    });
    xhr.addEventListener('load', function () {
      button.disabled = false;
      var body;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        progress.value = 100;
        form.hidden = true;
        done.hidden = false;
        done.focus();
        return;
      }
      var message = body && body.message ? body.message : 'The upload failed (' + xhr.status + '). Try again.';
      if (body && body.validation_error) message = 'Choose at least one scan file.';
      say(message, true);
    });
    xhr.addEventListener('error', function () {
      button.disabled = false;
      say('The connection was lost during the upload. Try again.', true);
    });
    button.disabled = true;
    progressRow.hidden = false;
    progress.value = 0;
    say('Uploading…', false);
    xhr.send(data);
  });
})();
