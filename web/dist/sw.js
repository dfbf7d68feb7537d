// The service worker: keeps the page's own files so that it opens without a network.
// The API is never cached here (what is typed offline waits in IndexedDB instead).
// The build writes the list of files and a version into this template.
const FILES = ["/","/assets/admin-B0UbMmkZ.js","/assets/feedback-DsvMhbRZ.js","/assets/index-FClKPDwm.css","/assets/index-klFiQ2RG.js","/assets/kpis-QNdxTFcy.js","/assets/strategy-e-YULL8Z.js","/assets/uPlot-Saz_VHki.css","/assets/uPlot.esm-DpQNP1c7.js"];
const CACHE = 'cxhub-' + "28cd6e9d";

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((c) => c.addAll(FILES))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('cxhub-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/') || url.pathname === '/healthz') return;
  if (req.mode === 'navigate') {
    // The page itself: the network first (a new version shows at once), the kept copy offline.
    event.respondWith(fetch(req).catch(() => caches.match('/', { cacheName: CACHE })));
    return;
  }
  // Hashed files never change: the kept copy first.
  event.respondWith(caches.match(req, { cacheName: CACHE }).then((hit) => hit || fetch(req)));
});
