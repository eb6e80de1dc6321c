// 3D viewer page: the level picker (plain links enhanced in place) swaps the model's source for the
// level's own glTF; <model-viewer> frames each model it loads and keeps the angle turned to.
/* global document, window */
(function () {
  'use strict';
  var viewer = document.getElementById('model');
  var status = document.getElementById('viewer-level');
  var links = Array.prototype.slice.call(document.querySelectorAll('.floor-switcher a[data-src]'));
  if (!viewer) return;

  function show(link) {
    var slug = link.getAttribute('data-floor');
    viewer.setAttribute('src', link.getAttribute('data-src'));
    viewer.setAttribute('alt', link.getAttribute('data-alt'));
    links.forEach(function (a) {
      if (a === link) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    });
    if (status) status.textContent = 'Showing ' + (slug ? link.textContent : 'all floors') + '.';
    var url = new URL(window.location.href);
    if (slug) url.searchParams.set('floor', slug);
    else url.searchParams.delete('floor');
    window.history.replaceState(null, '', url.toString());
  }
  links.forEach(function (a) {
    a.addEventListener('click', function (e) {
      e.preventDefault();
      show(a);
    });
  });
})();
