// The boarding scanner, for an officer's phone at the door of a bus, boat or plane. It reads boarding
// pass QR codes with the camera (BarcodeDetector) or takes a pasted token, boards the person at once
// when online, and otherwise queues the scan in localStorage with the time it was taken; the queue is
// sent to the batch endpoint as soon as the network is back. It uses the console's session cookie.
// Its words come from the page (a JSON data block in the page's language), so that it speaks the
// language the page was served in, offline too.

const QUEUE_KEY = 'haven.scan.queue';
const DEVICE_KEY = 'haven.scan.device';
const LEGS_KEY = 'haven.scan.legs';
const LEG_KEY = 'haven.scan.leg';
const HEADS_KEY = 'haven.scan.heads';
const BATCH_SIZE = 500;
const SAME_CODE_PAUSE_MS = 4000;

const $ = (id) => document.getElementById(id);
const ui = {
  network: $('network'),
  queued: $('queued'),
  signin: $('signin'),
  leg: $('leg'),
  heads: $('heads'),
  camera: $('camera'),
  video: $('video'),
  cameraNote: $('camera-note'),
  form: $('manual'),
  token: $('token'),
  result: $('result'),
  problems: $('problems'),
};

let csrfToken = null;
let syncing = false;

function loadMessages() {
  try {
    return JSON.parse(document.getElementById('scan-messages')?.textContent || '{}');
  } catch {
    return {};
  }
}
const messages = loadMessages();

/** The message for `key` with its `{name}` placeholders filled (the key itself if it is missing). */
function t(key, values = {}) {
  const template = messages[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

function readJson(key, fallback) {
  try {
    const value = localStorage.getItem(key);
    return value === null ? fallback : JSON.parse(value);
  } catch {
    return fallback;
  }
}

const writeJson = (key, value) => localStorage.setItem(key, JSON.stringify(value));

function deviceId() {
  let id = localStorage.getItem(DEVICE_KEY);
  if (!id) {
    id = `scanner-${crypto.randomUUID()}`;
    localStorage.setItem(DEVICE_KEY, id);
  }
  return id;
}

const queue = () => readJson(QUEUE_KEY, []);

function showQueue() {
  const count = queue().length;
  ui.queued.textContent = count === 0 ? t('queue.empty') : t('queue.waiting', { count });
}

function showNetwork() {
  ui.network.textContent = navigator.onLine ? t('network.online') : t('network.offline');
  ui.network.className = navigator.onLine ? 'online' : 'offline';
}

function showResult(kind, title, text) {
  ui.result.className = `result ${kind}`;
  ui.result.replaceChildren();
  const heading = document.createElement('strong');
  heading.textContent = title;
  ui.result.append(heading);
  if (text) {
    const detail = document.createElement('p');
    detail.textContent = text;
    ui.result.append(detail);
  }
}

function addProblem(text) {
  const item = document.createElement('li');
  item.textContent = text;
  ui.problems.prepend(item);
}

// ------------------------------------------------------------------------------------ head counts

function rememberHeadCount(count) {
  const heads = readJson(HEADS_KEY, {});
  heads[count.legId] = count;
  writeJson(HEADS_KEY, heads);
  showHeadCount();
}

function showHeadCount() {
  const legId = ui.leg.value;
  const count = readJson(HEADS_KEY, {})[legId];
  const waiting = queue().filter((scan) => scan.legId === legId).length;
  if (!legId) {
    ui.heads.textContent = t('heads.chooseLeg');
    return;
  }
  const aboard = count
    ? t('heads.count', { boarded: count.boarded, assigned: count.assigned, seats: count.seats })
    : t('heads.none');
  ui.heads.textContent = waiting > 0 ? t('heads.withOffline', { aboard, waiting }) : aboard;
}

// ------------------------------------------------------------------------------------------- API

async function session() {
  const response = await fetch('/api/auth/me', { credentials: 'same-origin' });
  if (response.status === 401) {
    ui.signin.hidden = false;
    return false;
  }
  if (!response.ok) return false;
  const me = await response.json();
  csrfToken = me.csrfToken ?? null;
  ui.signin.hidden = true;
  return true;
}

async function post(path, body) {
  if (!csrfToken) await session();
  const send = () =>
    fetch(path, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken ?? '' },
      body: JSON.stringify(body),
    });
  let response = await send();
  if (response.status === 403) {
    const problem = await response
      .clone()
      .json()
      .catch(() => ({}));
    if (problem.code === 'auth.csrf_failed' && (await session())) response = await send();
  }
  if (response.status === 401) ui.signin.hidden = false;
  return response;
}

async function loadLegs() {
  let legs = readJson(LEGS_KEY, []);
  if (navigator.onLine) {
    try {
      const response = await fetch('/api/evacuation/boarding/legs', { credentials: 'same-origin' });
      if (response.status === 401) ui.signin.hidden = false;
      if (response.ok) {
        legs = (await response.json()).items;
        writeJson(LEGS_KEY, legs);
        for (const leg of legs) rememberHeadCount(leg.headCount);
      }
    } catch {
      // Offline after all: the legs remembered from the last visit serve.
    }
  }
  const chosen = localStorage.getItem(LEG_KEY);
  ui.leg.replaceChildren(new Option(t('leg.choose'), ''));
  for (const leg of legs) {
    const when = leg.departsAt.replace('T', ' ').slice(0, 16);
    const mode = messages[`mode.${leg.mode}`] ?? leg.mode;
    ui.leg.append(
      new Option(
        t('leg.option', { when, mode, destination: leg.destination, crisis: leg.crisis }),
        leg.legId,
      ),
    );
  }
  if (chosen && legs.some((leg) => leg.legId === chosen)) ui.leg.value = chosen;
  showHeadCount();
}

// ------------------------------------------------------------------------------------------ scans

function enqueue(scan) {
  const waiting = queue();
  if (!waiting.some((s) => s.token === scan.token && s.legId === scan.legId)) waiting.push(scan);
  writeJson(QUEUE_KEY, waiting);
  showQueue();
  showHeadCount();
}

function describe(result) {
  const name = [result.givenNames, result.familyName].filter(Boolean).join(' ');
  const seat = result.seat === 'medical' ? t('seat.medical') : t('seat.regular');
  return `${name} · ${seat}`;
}

async function board(token) {
  const legId = ui.leg.value;
  if (!legId) {
    showResult('refused', t('board.chooseLegTitle'), t('board.chooseLegText'));
    return;
  }
  const scan = { token: token.trim(), legId, scannedAt: new Date().toISOString(), deviceId: deviceId() };
  if (!scan.token) return;
  if (!navigator.onLine) {
    enqueue(scan);
    showResult('queued', t('board.offlineTitle'), t('board.offlineText'));
    return;
  }
  let response;
  try {
    response = await post('/api/evacuation/boarding', scan);
  } catch {
    enqueue(scan);
    showResult('queued', t('board.offlineTitle'), t('board.noAnswerText'));
    return;
  }
  const body = await response.json().catch(() => ({}));
  if (response.ok) {
    rememberHeadCount(body.headCount);
    showResult(
      body.alreadyBoarded ? 'repeat' : 'boarded',
      body.alreadyBoarded ? t('board.already') : t('board.boarded'),
      describe(body),
    );
    return;
  }
  if (response.status >= 500 || response.status === 429) {
    enqueue(scan);
    showResult('queued', t('board.laterTitle'), t('board.laterText'));
    return;
  }
  showResult('refused', refusalTitle(body.code), refusalDetail(body.code, body.detail));
}

const isAuthCode = (code) => code === 'auth.required' || code === 'auth.invalid';

function refusalTitle(code) {
  if (isAuthCode(code)) return t('refused.auth');
  return messages[`refused.${code}`] ?? t('refused.other');
}

/** The refusal explained in the page's language; the server's own words for a refusal it has none for. */
function refusalDetail(code, detail) {
  if (isAuthCode(code)) return t('detail.auth');
  return messages[`detail.${code}`] ?? detail ?? '';
}

async function sync() {
  if (syncing || !navigator.onLine) return;
  const waiting = queue();
  if (waiting.length === 0) return;
  syncing = true;
  try {
    const batch = waiting.slice(0, BATCH_SIZE);
    const response = await post('/api/evacuation/boarding/batch', { scans: batch });
    if (!response.ok) return;
    const body = await response.json();
    let boarded = 0;
    let repeated = 0;
    for (const outcome of body.results) {
      if (outcome.ok) {
        if (outcome.result.alreadyBoarded) repeated++;
        else boarded++;
      } else {
        const scan = batch[outcome.index];
        addProblem(
          t('sync.problem', {
            time: scan.scannedAt.slice(11, 19),
            title: refusalTitle(outcome.code),
            detail: refusalDetail(outcome.code, outcome.detail),
          }),
        );
      }
    }
    for (const count of body.headCounts) rememberHeadCount(count);
    const sent = new Set(batch.map((scan) => `${scan.token}|${scan.legId}`));
    writeJson(
      QUEUE_KEY,
      queue().filter((scan) => !sent.has(`${scan.token}|${scan.legId}`)),
    );
    showQueue();
    showHeadCount();
    const refused = body.results.length - boarded - repeated;
    showResult('synced', t('sync.title'), t('sync.text', { boarded, repeated, refused }));
  } catch {
    // Still unreachable: the queue stays as it is for the next attempt.
  } finally {
    syncing = false;
  }
}

// ----------------------------------------------------------------------------------------- camera

let lastCode = '';
let lastCodeAt = 0;

async function startCamera() {
  if (!('BarcodeDetector' in window)) {
    ui.cameraNote.textContent = t('camera.noDetector');
    return;
  }
  const formats = await window.BarcodeDetector.getSupportedFormats();
  if (!formats.includes('qr_code')) {
    ui.cameraNote.textContent = t('camera.noQr');
    return;
  }
  const detector = new window.BarcodeDetector({ formats: ['qr_code'] });
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({
      video: { facingMode: 'environment' },
      audio: false,
    });
  } catch {
    ui.cameraNote.textContent = t('camera.unavailable');
    return;
  }
  ui.video.srcObject = stream;
  ui.video.hidden = false;
  ui.camera.hidden = true;
  await ui.video.play();
  ui.cameraNote.textContent = t('camera.hold');
  const look = async () => {
    try {
      const codes = await detector.detect(ui.video);
      const value = codes[0]?.rawValue;
      const now = Date.now();
      if (value && (value !== lastCode || now - lastCodeAt > SAME_CODE_PAUSE_MS)) {
        lastCode = value;
        lastCodeAt = now;
        await board(value);
      }
    } catch {
      // A frame that could not be read; the next one will be.
    }
    setTimeout(look, 250);
  };
  void look();
}

// ------------------------------------------------------------------------------------------ start

ui.camera.addEventListener('click', () => void startCamera());
ui.form.addEventListener('submit', (event) => {
  event.preventDefault();
  const value = ui.token.value;
  ui.token.value = '';
  void board(value);
});
ui.leg.addEventListener('change', () => {
  localStorage.setItem(LEG_KEY, ui.leg.value);
  showHeadCount();
});
window.addEventListener('online', () => {
  showNetwork();
  void session().then(sync).then(loadLegs);
});
window.addEventListener('offline', showNetwork);
setInterval(() => void sync(), 30_000);

if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('/scan/sw.js', { scope: '/scan' }).catch(() => {
    // Without a service worker the page still works online.
  });
}

showNetwork();
showQueue();
if (navigator.onLine) {
  void session()
    .then(loadLegs)
    .then(sync)
    .catch(() => loadLegs());
} else {
  void loadLegs();
}
