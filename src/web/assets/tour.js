// Tour page: the floor switcher (plain links enhanced in place) and zoom/pan of each plan by
/* global document, window */
// buttons, keyboard (+ − arrows 0), mouse wheel, drag and pinch.
(function () {
  'use strict';
  var sections = Array.prototype.slice.call(document.querySelectorAll('section.floor'));
  var links = Array.prototype.slice.call(document.querySelectorAll('.floor-switcher a[data-floor]'));

  function showFloor(slug, moveFocus) {
    sections.forEach(function (s) {
      s.hidden = s.getAttribute('data-floor') !== slug;
    });
    links.forEach(function (a) {
      if (a.getAttribute('data-floor') === slug) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    });
    var url = new URL(window.location.href);
    url.searchParams.set('floor', slug);
    window.history.replaceState(null, '', url.toString());
    if (moveFocus) {
      var heading = document.getElementById(slug + '-heading');
      if (heading) {
        heading.setAttribute('tabindex', '-1');
        heading.focus();
      }
    }
  }
  links.forEach(function (a) {
    a.addEventListener('click', function (e) {
      e.preventDefault();
      showFloor(a.getAttribute('data-floor'), false);
    });
  });

  var MIN = 1;
  var MAX = 6;
  sections.forEach(function (section) {
    var viewport = section.querySelector('.plan-viewport');
    var canvas = section.querySelector('.plan-canvas');
    if (!viewport || !canvas) return;
    var view = { scale: 1, x: 0, y: 0 };

    function clamp() {
      var w = viewport.clientWidth;
      var h = viewport.clientHeight;
      view.scale = Math.min(MAX, Math.max(MIN, view.scale));
      view.x = Math.min(0, Math.max(w - w * view.scale, view.x));
      view.y = Math.min(0, Math.max(h - h * view.scale, view.y));
    }
    function apply() {
      clamp();
      canvas.style.transform = 'translate(' + view.x + 'px, ' + view.y + 'px) scale(' + view.scale + ')';
      section.setAttribute('data-zoom', view.scale.toFixed(2));
    }
    function zoomAt(factor, cx, cy) {
      var next = Math.min(MAX, Math.max(MIN, view.scale * factor));
      var k = next / view.scale;
      view.x = cx - (cx - view.x) * k;
      view.y = cy - (cy - view.y) * k;
      view.scale = next;
      apply();
    }
    function zoomCentre(factor) {
      zoomAt(factor, viewport.clientWidth / 2, viewport.clientHeight / 2);
    }
    function reset() {
      view = { scale: 1, x: 0, y: 0 };
      apply();
    }

    section.querySelectorAll('button[data-zoom]').forEach(function (b) {
      b.addEventListener('click', function () {
        var what = b.getAttribute('data-zoom');
        if (what === 'in') zoomCentre(1.25);
        else if (what === 'out') zoomCentre(0.8);
        else reset();
      });
    });
    viewport.addEventListener('keydown', function (e) {
      var step = 40;
      var handled = true;
      if (e.key === '+' || e.key === '=') zoomCentre(1.25);
      else if (e.key === '-' || e.key === '_') zoomCentre(0.8);
      else if (e.key === '0') reset();
      else if (e.key === 'ArrowLeft') {
        view.x += step;
        apply();
      } else if (e.key === 'ArrowRight') {
        view.x -= step;
        apply();
      } else if (e.key === 'ArrowUp') {
        view.y += step;
        apply();
      } else if (e.key === 'ArrowDown') {
        view.y -= step;
        apply();
      } else handled = false;
      if (handled) e.preventDefault();
    });
    viewport.addEventListener(
      'wheel',
      function (e) {
        e.preventDefault();
        var r = viewport.getBoundingClientRect();
        zoomAt(e.deltaY < 0 ? 1.15 : 1 / 1.15, e.clientX - r.left, e.clientY - r.top);
      },
      { passive: false },
    );

    var pointers = new Map();
    var pinch = 0;
    viewport.addEventListener('pointerdown', function (e) {
      viewport.setPointerCapture(e.pointerId);
      pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
      viewport.classList.add('is-dragging');
    });
    viewport.addEventListener('pointermove', function (e) {
      var last = pointers.get(e.pointerId);
      if (!last) return;
      pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
      if (pointers.size === 2) {
        var pts = Array.from(pointers.values());
        var dist = Math.hypot(pts[0].x - pts[1].x, pts[0].y - pts[1].y);
        if (pinch) {
          var r = viewport.getBoundingClientRect();
          zoomAt(dist / pinch, (pts[0].x + pts[1].x) / 2 - r.left, (pts[0].y + pts[1].y) / 2 - r.top);
        }
        pinch = dist;
        return;
      }
      view.x += e.clientX - last.x;
      view.y += e.clientY - last.y;
      apply();
    });
    function end(e) {
      pointers.delete(e.pointerId);
      if (pointers.size < 2) pinch = 0;
      if (pointers.size === 0) viewport.classList.remove('is-dragging');
    }
    viewport.addEventListener('pointerup', end);
    viewport.addEventListener('pointercancel', end);
    apply();
  });
})();
