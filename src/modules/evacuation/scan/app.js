// The boarding scanner, for an officer's phone at the door of a bus, boat or plane. It reads boarding
// pass QR codes with the camera (BarcodeDetector) or takes a pasted token, boards the person at once
// when online, and otherwise queues the scan in localStorage with the time it was taken; the queue is
// sent to the batch endpoint as soon as the network is back. It uses the console's session cookie.

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
  ui.queued.textContent = count === 0 ? 'No scans waiting' : `${count} scan(s) waiting to sync`;
}

function showNetwork() {
  ui.network.textContent = navigator.onLine ? 'Online' : 'Offline: scans are kept on this phone';
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
    ui.heads.textContent = 'Choose a leg to board.';
    return;
  }
  const aboard = count
    ? `${count.boarded} aboard of ${count.assigned} expected (${count.seats} seats)`
    : 'No count yet';
  ui.heads.textContent = waiting > 0 ? `${aboard}; ${waiting} more scanned offline` : aboard;
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
  ui.leg.replaceChildren(new Option('Choose the leg you are boarding', ''));
  for (const leg of legs) {
    const when = leg.departsAt.replace('T', ' ').slice(0, 16);
    ui.leg.append(new Option(`${when} UTC · ${leg.mode} to ${leg.destination} (${leg.crisis})`, leg.legId));
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
  const seat = result.seat === 'medical' ? 'medical seat' : 'seat';
  return `${name} · ${seat}`;
}

async function board(token) {
  const legId = ui.leg.value;
  if (!legId) {
    showResult('refused', 'Choose the leg first', 'Pick the leg you are boarding from the list.');
    return;
  }
  const scan = { token: token.trim(), legId, scannedAt: new Date().toISOString(), deviceId: deviceId() };
  if (!scan.token) return;
  if (!navigator.onLine) {
    enqueue(scan);
    showResult('queued', 'Scanned offline', 'Kept on this phone; it will be sent when the network is back.');
    return;
  }
  let response;
  try {
    response = await post('/api/evacuation/boarding', scan);
  } catch {
    enqueue(scan);
    showResult('queued', 'Scanned offline', 'The network did not answer; the scan is kept and sent later.');
    return;
  }
  const body = await response.json().catch(() => ({}));
  if (response.ok) {
    rememberHeadCount(body.headCount);
    showResult(
      body.alreadyBoarded ? 'repeat' : 'boarded',
      body.alreadyBoarded ? 'Already aboard' : 'Boarded',
      describe(body),
    );
    return;
  }
  if (response.status >= 500 || response.status === 429) {
    enqueue(scan);
    showResult('queued', 'Kept for later', 'The server could not take the scan now; it will be sent again.');
    return;
  }
  showResult('refused', refusalTitle(body.code), body.detail ?? '');
}

function refusalTitle(code) {
  switch (code) {
    case 'evacuation.token_invalid':
      return 'NOT A VALID PASS';
    case 'evacuation.token_expired':
      return 'Pass expired';
    case 'evacuation.wrong_leg':
      return 'WRONG LEG';
    case 'evacuation.boarding_closed':
      return 'Boarding closed';
    case 'auth.required':
    case 'auth.invalid':
      return 'Sign in first';
    default:
      return 'Refused';
  }
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
        addProblem(`${scan.scannedAt.slice(11, 19)} UTC: ${refusalTitle(outcome.code)} (${outcome.detail})`);
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
    showResult(
      'synced',
      'Offline scans sent',
      `${boarded} boarded, ${repeated} already aboard, ${refused} refused`,
    );
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
    ui.cameraNote.textContent =
      'This browser cannot read QR codes itself: type or paste the code printed under the QR code below.';
    return;
  }
  const formats = await window.BarcodeDetector.getSupportedFormats();
  if (!formats.includes('qr_code')) {
    ui.cameraNote.textContent = 'This browser cannot read QR codes: type or paste the code below.';
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
    ui.cameraNote.textContent = 'The camera is not available: allow it, or type or paste the code below.';
    return;
  }
  ui.video.srcObject = stream;
  ui.video.hidden = false;
  ui.camera.hidden = true;
  await ui.video.play();
  ui.cameraNote.textContent = 'Hold the pass in front of the camera.';
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
