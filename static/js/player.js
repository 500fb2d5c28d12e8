/* WANS watch page: starts a playback session, plays the encrypted HLS with hls.js (AES-128 keys come from the
   session's key endpoint through the rewritten playlists), and keeps the session alive with heartbeats.
   Quality menu (auto + the plan's rungs), audio-only data saver, subtitles when the film has them, trickplay
   thumbnails on the scrub bar, resume, and a message with the way to get access for every refusal code. */
(function () {
  "use strict";

  var root = document.getElementById("wans-player");
  if (!root) return;
  var frame = root.querySelector(".player-frame");
  var video = root.querySelector(".player-video");
  var startButton = root.querySelector(".player-start");
  var controls = root.querySelector(".player-controls");
  var toggle = root.querySelector(".player-toggle");
  var seek = root.querySelector(".player-seek");
  var timeLabel = root.querySelector(".player-time");
  var quality = root.querySelector(".player-quality");
  var subtitles = root.querySelector(".player-subtitles");
  var saverButton = root.querySelector(".player-saver");
  var fullscreen = root.querySelector(".player-fullscreen");
  var trick = root.querySelector(".player-trick");
  var trickImage = root.querySelector(".player-trick-image");
  var trickTime = root.querySelector(".player-trick-time");
  var audioBadge = root.querySelector(".player-audio-only");
  var messageBox = root.querySelector(".player-message");
  var statusLine = root.querySelector(".player-status");

  var state = {
    session: null, hls: null, saver: false, cues: [], timer: null, heartbeats: 0, ended: false,
    rebufferSeconds: 0, rebufferEvents: 0, waitingSince: null, events: [], started: false, tokens: null
  };
  window.wansPlayer = state; // for people debugging a stream, and the browser test

  function csrf() { return root.dataset.csrf; }

  /* Tokens: media tokens are short-lived (minutes) and scoped to one rendition folder; the session start, every
     heartbeat and every manifest bring fresh ones ({media: {"/protected/<folder>/": token}, drm: token}). Every
     media, key and licence request goes through withToken(), which puts the newest token for its folder in `t`
     (the path, which an edge cache keys on, never changes). */
  function tokensUpdate(tokens) {
    if (tokens && tokens.media) state.tokens = tokens;
  }

  function withToken(url) {
    var tokens = state.tokens;
    if (!tokens || !url) return url;
    var parsed;
    try { parsed = new URL(url, window.location.href); } catch (e) { return url; }
    var token = null;
    if (parsed.pathname.indexOf("/protected/") === 0) {
      var best = "";
      Object.keys(tokens.media).forEach(function (scope) {
        if (parsed.pathname.indexOf(scope) === 0 && scope.length > best.length) best = scope;
      });
      token = best ? tokens.media[best] : null;
    } else if (parsed.pathname.indexOf("/api/drm/") === 0 && parsed.searchParams.has("t")) {
      token = tokens.drm;
    }
    if (!token) return url;
    parsed.searchParams.set("t", token);
    return parsed.origin === window.location.origin ? parsed.pathname + parsed.search + parsed.hash : parsed.href;
  }

  /* The player's words, translated by the page (a JSON block the template fills in the profile's language). */
  var WORDS = {};
  try { WORDS = JSON.parse((document.getElementById("player-words") || {}).textContent || "{}"); } catch (e) { WORDS = {}; }
  function t(key, english) { return WORDS[key] || english; }
  /* A sentence with blanks: fill("All {count} streams", {count: 2}). */
  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (blank, name) { return values[name] === undefined ? blank : String(values[name]); });
  }
  /* The server's refusal messages are in English: an English page says them, any other language says ours. */
  var ENGLISH = (document.documentElement.lang || "en").slice(0, 2) === "en";
  function serverOr(message, key, english) { return ENGLISH && message ? message : t(key, english); }
  /* "5 January 2027" with the month names of the page's language (the site's date format, j F Y). */
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December"];
  function longDate(iso) {
    var day = new Date(iso);
    return day.getDate() + " " + ((WORDS.months || MONTHS)[day.getMonth()] || MONTHS[day.getMonth()]) + " " + day.getFullYear();
  }

  function api(url, method, body, keepalive) {
    return fetch(url, {
      method: method || "GET",
      credentials: "same-origin",
      keepalive: !!keepalive,
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf(), "Accept": "application/json" },
      body: body ? JSON.stringify(body) : undefined
    }).then(function (response) {
      return response.text().then(function (text) {
        var data = null;
        try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
        return { status: response.status, ok: response.ok, data: data };
      });
    });
  }

  function clock(seconds) {
    seconds = Math.max(0, Math.floor(seconds || 0));
    var h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
    var mm = h ? String(m).padStart(2, "0") : String(m);
    return (h ? h + ":" : "") + mm + ":" + String(s).padStart(2, "0");
  }

  function link(label, href, primary) {
    var a = document.createElement(href ? "a" : "button");
    if (href) a.href = href; else a.type = "button";
    a.className = "button" + (primary ? " button-primary" : "");
    a.textContent = label;
    return a;
  }

  function price(offer) {
    return offer.price && offer.price.display ? " · " + offer.price.display : "";
  }

  /* One message per refusal code, each with the way to get access. */
  function showRefusal(error) {
    var actions = [];
    var text = serverOr(error.message, "cannotPlay", "This film cannot play right now.");
    var offers = error.offers || [];
    var offerUrl = function (offer) { return root.dataset.offerUrl + offer.window_id + "/"; };
    switch (error.code) {
      case "no_entitlement":
        text = t("chooseOne", "To watch this film, choose one of these:");
        offers.forEach(function (offer) {
          if (offer.kind === "subscribe") actions.push(link(t("subscribe", "Subscribe"), root.dataset.subscribeUrl || root.dataset.filmUrl, true));
          if (offer.kind === "rent") actions.push(link(t("rentFor", "Rent for {hours} hours").replace("{hours}", offer.rental_hours || 48) + price(offer), offerUrl(offer), true));
          if (offer.kind === "buy") actions.push(link(t("buy", "Buy") + price(offer), offerUrl(offer)));
          if (offer.kind === "ticket") actions.push(link(t("ticket", "Get a ticket") + price(offer), offerUrl(offer)));
        });
        if (!offers.length && root.dataset.subscribeUrl) actions.push(link(t("seePlans", "See plans"), root.dataset.subscribeUrl, true));
        break;
      case "window_closed":
        if (error.next_window && error.next_window.starts_at) {
          text = fill(t("opensOn", "This film is not streaming here yet. It opens on {date}: add it to My List to hear when."),
            { date: longDate(error.next_window.starts_at) });
        } else {
          text = serverOr(error.message, "notStreaming", "This film is not streaming here at the moment.") + " " +
            t("checkBackLater", "Check back later.");
        }
        if (root.dataset.filmUrl) actions.push(link(t("backToFilm", "Back to the film"), root.dataset.filmUrl));
        break;
      case "stream_limit":
        text = error.streams
          ? fill(t("streamsInUse", "All {count} of your plan's streams are in use. End one to watch here:"), { count: error.streams })
          : t("allStreamsInUse", "All of your plan's streams are in use. End one to watch here:");
        (error.active || []).forEach(function (session) {
          var button = link(session.device
            ? fill(t("endOn", "End “{film}” on {device}"), { film: session.film, device: session.device })
            : fill(t("end", "End “{film}”"), { film: session.film }), null);
          button.addEventListener("click", function () {
            api(root.dataset.sessionsUrl + session.id, "DELETE").then(function () { start(); });
          });
          actions.push(button);
        });
        if (root.dataset.subscribeUrl) actions.push(link(t("upgrade", "Upgrade for more streams"), root.dataset.subscribeUrl));
        break;
      case "device_limit":
        text = serverOr(error.message, "deviceLimit", "Your plan's device limit is reached: sign another device out on the account page.");
        if (root.dataset.accountUrl) actions.push(link(t("manageDevices", "Manage devices"), root.dataset.accountUrl, true));
        break;
      case "maturity":
        text = error.film_rating
          ? fill(t("ratedAbove", "This film is rated {rating}, above this profile's limit. Switch profile to watch it."), { rating: error.film_rating })
          : t("aboveLimit", "This film is above this profile's limit. Switch profile to watch it.");
        actions.push(link(t("switchProfile", "Switch profile"), "/profiles/", true));
        break;
      case "not_authenticated":
        // Signed out while watching: every device signed out from the account page, or the account suspended by
        // staff (signing in again says why).
        text = t("signedOut", "You were signed out, so this film stopped. Sign in again to watch.");
        if (root.dataset.loginUrl) {
          actions.push(link(t("signIn", "Sign in"), root.dataset.loginUrl + "?next=" + encodeURIComponent(window.location.pathname), true));
        }
        break;
      case "session_ended":
        text = t("sessionEnded", "This playback session has ended.");
        actions.push(link(t("playAgain", "Play again"), null, true));
        actions[0].addEventListener("click", function () { start(); });
        break;
      default:
        actions.push(link(t("tryAgain", "Try again"), null, true));
        actions[0].addEventListener("click", function () { start(); });
        break;
    }
    showMessage(text, actions);
  }

  function showMessage(text, actions) {
    messageBox.querySelector(".player-message-text").textContent = text;
    var box = messageBox.querySelector(".player-message-actions");
    box.replaceChildren.apply(box, actions || []);
    messageBox.hidden = false;
    frame.dataset.state = "message";
  }

  function hideMessage() { messageBox.hidden = true; }

  function start() {
    hideMessage();
    startButton.disabled = true;
    statusLine.textContent = t("starting", "Starting…");
    var body = { film: Number(root.dataset.film) };
    if (root.dataset.profile) body.profile = Number(root.dataset.profile);
    api(root.dataset.startUrl, "POST", body).then(function (answer) {
      startButton.disabled = false;
      if (!answer.ok) {
        statusLine.textContent = "";
        startButton.hidden = true;  // the message carries the way forward (and "Try again" where retrying helps)
        frame.dataset.state = "message";
        showRefusal((answer.data && answer.data.error) || { message: t("serverFailed", "The server could not start playback.") });
        return;
      }
      state.session = answer.data;
      tokensUpdate(answer.data.tokens);
      state.ended = false;
      failsafeReset();
      startButton.hidden = true;
      controls.hidden = false;
      frame.dataset.state = "playing";
      if (engine === "dash" && state.session.drm.encrypted) loadDash(state.session.resume_seconds || 0);
      else load(state.session.manifests.hls, state.session.resume_seconds || 0);
      loadThumbnails();
      scheduleHeartbeat();
      // Said so that a viewer understands it (not "Protected stream"): why a screenshot or recording is black.
      statusLine.textContent = state.session.drm.encrypted
        ? t("protected", "Secure playback: screenshots and screen recordings of this film show a black picture.") : "";
    }).catch(function () {
      startButton.disabled = false;
      showMessage(t("offline", "No connection. Check your data and try again."), []);
    });
  }

  /* ?engine=dash: the CENC DASH with shaka-player and the session's W3C ClearKey license endpoint. */
  var engine = new URLSearchParams(window.location.search).get("engine") === "dash" ? "dash" : "hls";

  function loadDash(position) {
    if (!window.shaka || !window.shaka.Player.isBrowserSupported()) {
      showMessage(t("noDash", "This browser cannot play DASH here: use the default player."), []);
      return;
    }
    api(state.session.drm.token_url).then(function (answer) {
      if (!answer.ok) { showRefusal((answer.data && answer.data.error) || { code: "session_ended" }); return; }
      var player = new window.shaka.Player();
      state.shaka = player;
      player.getNetworkingEngine().registerRequestFilter(function (type, request) {
        request.uris = request.uris.map(withToken);
      });
      player.configure({
        drm: { servers: { "org.w3.clearkey": state.session.drm.clearkey_license_url + "?t=" + encodeURIComponent(answer.data.token) } }
      });
      player.addEventListener("error", function (event) {
        state.events.push({ kind: "error", code: String(event.detail && event.detail.code), fatal: true, position: video.currentTime });
        failsafeShakaError(player, event.detail);
      });
      player.attach(video).then(function () {
        return player.load(state.session.manifests.dash, position || 0);
      }).then(function () {
        quality.replaceChildren(new Option(t("auto", "Auto"), "-1"));
        player.getVariantTracks().filter(function (v) { return v.height; })
          .sort(function (a, b) { return shortSide(b) - shortSide(a); })
          .forEach(function (v) { quality.add(new Option(qualityLabel(v), String(v.id))); });
        video.play().catch(function () {});
      }).catch(function (error) {
        if (failsafeShakaError(player, error)) return;
        showMessage(fill(t("failed", "Playback failed ({code}). Try again."), { code: error && error.code }), []);
      });
    });
  }

  function load(url, position) {
    if (state.hls) { state.hls.destroy(); state.hls = null; }
    if (window.Hls && window.Hls.isSupported()) {
      var hls = new window.Hls({
        enableWorker: false, startPosition: position || -1, capLevelToPlayerSize: false,
        xhrSetup: function (xhr, requested) { xhr.open("GET", withToken(requested), true); }
      });
      state.hls = hls;
      hls.on(window.Hls.Events.MANIFEST_PARSED, function () {
        buildQualityMenu();
        buildSubtitleMenu();
        video.play().catch(function () { /* the viewer presses play */ });
      });
      hls.on(window.Hls.Events.LEVEL_SWITCHED, function (event, data) {
        var level = hls.levels[data.level];
        if (level) state.events.push({ kind: "bitrate_switch", to: level.bitrate, position: video.currentTime });
      });
      hls.on(window.Hls.Events.ERROR, function (event, data) {
        if (failsafeHlsError(hls, data)) return;
        if (!data.fatal) return;
        state.events.push({ kind: "error", code: String(data.details || "").slice(0, 60), fatal: true, position: video.currentTime });
        if (data.type === window.Hls.ErrorTypes.NETWORK_ERROR) {
          var code = data.response && data.response.code;
          if (code === 410 || code === 403 || code === 402) { heartbeat(); return; }
          hls.startLoad();
        } else if (data.type === window.Hls.ErrorTypes.MEDIA_ERROR) {
          hls.recoverMediaError();
        } else {
          showMessage(fill(t("failed", "Playback failed ({code}). Try again."), { code: data.details }), []);
        }
      });
      hls.loadSource(url);
      hls.attachMedia(video);
    } else if (video.canPlayType("application/vnd.apple.mpegurl")) {
      video.src = url; // Safari plays AES-128 HLS natively
      video.addEventListener("loadedmetadata", function once() {
        video.removeEventListener("loadedmetadata", once);
        if (position) video.currentTime = position;
        video.play().catch(function () {});
      });
    } else {
      showMessage(t("noStream", "This browser cannot play the stream. Try a recent Chrome, Firefox or Safari."), []);
    }
  }

  /* "720p" names the short side: a portrait clip's 720x1280 rung is 720p (what the plan's limit means). */
  function shortSide(level) {
    var w = level.width || 0, h = level.height || 0;
    return w && h ? Math.min(w, h) : h;
  }
  function qualityLabel(level) { return shortSide(level) + "p"; }
  state.qualityLabel = qualityLabel; // the browser test names a portrait rung with it

  function buildQualityMenu() {
    quality.replaceChildren();
    var auto = new Option(t("auto", "Auto"), "-1");
    quality.add(auto);
    if (!state.hls) return;
    var levels = state.hls.levels.map(function (level, index) { return { level: level, index: index }; });
    levels.sort(function (a, b) { return shortSide(b.level) - shortSide(a.level); });
    levels.forEach(function (item) {
      if (!item.level.height) return; // the audio-only variant is the data saver's
      quality.add(new Option(qualityLabel(item.level), String(item.index)));
    });
    quality.value = "-1";
    quality.disabled = state.saver;
  }

  function buildSubtitleMenu() {
    var tracks = (state.hls && state.hls.subtitleTracks) || [];
    subtitles.hidden = tracks.length === 0;
    subtitles.replaceChildren(new Option(t("subtitlesOff", "Subtitles off"), "-1"));
    tracks.forEach(function (track, index) {
      subtitles.add(new Option(track.name || track.lang || fill(t("track", "Track {number}"), { number: index + 1 }), String(index)));
    });
  }

  quality.addEventListener("change", function () {
    if (state.hls) state.hls.currentLevel = Number(quality.value);
    if (state.shaka) {
      var id = Number(quality.value);
      state.shaka.configure({ abr: { enabled: id === -1 } });
      var track = state.shaka.getVariantTracks().find(function (t) { return t.id === id; });
      if (track) state.shaka.selectVariantTrack(track, true);
    }
  });
  subtitles.addEventListener("change", function () {
    if (state.hls) state.hls.subtitleTrack = Number(subtitles.value);
  });

  saverButton.addEventListener("click", function () {
    if (!state.session || !state.session.manifests.hls_audio_only) return;
    state.saver = !state.saver;
    saverButton.setAttribute("aria-pressed", String(state.saver));
    audioBadge.hidden = !state.saver;
    var at = video.currentTime;
    load(state.saver ? state.session.manifests.hls_audio_only : state.session.manifests.hls, at);
  });

  /* Trickplay: the signed WebVTT track of sprite tiles ("url#xywh=x,y,w,h"). */
  function loadThumbnails() {
    state.cues = [];
    if (!state.session.thumbnails_vtt) return;
    fetch(state.session.thumbnails_vtt).then(function (r) { return r.ok ? r.text() : ""; }).then(function (text) {
      var lines = text.split(/\r?\n/);
      for (var i = 0; i < lines.length; i++) {
        var match = /^(\S+) --> (\S+)/.exec(lines[i]);
        if (!match || !lines[i + 1]) continue;
        var target = lines[i + 1].split("#xywh=");
        var box = (target[1] || "0,0,0,0").split(",").map(Number);
        state.cues.push({ start: vttTime(match[1]), end: vttTime(match[2]), url: target[0], x: box[0], y: box[1], w: box[2], h: box[3] });
      }
      state.cues.forEach(function (cue) { spriteReady(cue.url); }); // fetch the sheets before the pointer comes
    });
  }

  /* A sprite sheet is shown only once it has loaded: until then the preview shows nothing, not a black box. */
  var sprites = {};
  function spriteReady(url) {
    if (sprites[url] === true) return true;
    if (!sprites[url]) {
      var image = new Image();
      sprites[url] = image;
      image.onload = function () {
        sprites[url] = true;
        if (state.pointer) preview(state.pointer); // the pointer is still over the bar: show it now
      };
      image.src = withToken(url);
    }
    return false;
  }

  function vttTime(text) {
    var parts = text.split(":").map(Number);
    return parts.length === 3 ? parts[0] * 3600 + parts[1] * 60 + parts[2] : parts[0] * 60 + parts[1];
  }

  seek.addEventListener("mousemove", preview);
  function preview(event) {
    state.pointer = event;
    var duration = video.duration || (state.session && state.session.duration_seconds) || 0;
    if (!state.cues.length || !duration) return;
    var rect = seek.getBoundingClientRect();
    var fraction = Math.min(1, Math.max(0, (event.clientX - rect.left) / rect.width));
    var at = fraction * duration;
    var cue = state.cues.find(function (c) { return at >= c.start && at < c.end; }) || state.cues[state.cues.length - 1];
    if (!spriteReady(cue.url)) { trick.hidden = true; return; }
    var scale = 160 / (cue.w || 160);
    trickImage.style.width = cue.w + "px";
    trickImage.style.height = cue.h + "px";
    trickImage.style.backgroundImage = "url(\"" + withToken(cue.url) + "\")";
    trickImage.style.backgroundPosition = (-cue.x) + "px " + (-cue.y) + "px";
    trickImage.style.transformOrigin = "0 0";
    trickImage.style.transform = "scale(" + scale + ")";
    trick.style.height = Math.round(cue.h * scale) + "px";
    trickTime.textContent = clock(at);
    trick.style.left = Math.max(0, Math.min(rect.width - 160, fraction * rect.width - 80)) + "px";
    trick.hidden = false;
  }
  seek.addEventListener("mouseleave", function () { trick.hidden = true; state.pointer = null; });
  seek.addEventListener("input", function () {
    if (video.duration) video.currentTime = (Number(seek.value) / 100) * video.duration;
  });

  video.addEventListener("timeupdate", function () {
    var duration = video.duration || (state.session && state.session.duration_seconds) || 0;
    if (duration) seek.value = String((video.currentTime / duration) * 100);
    timeLabel.textContent = clock(video.currentTime) + " / " + clock(duration);
  });
  video.addEventListener("playing", function () {
    state.started = true;
    if (state.waitingSince !== null) {
      state.rebufferSeconds += (performance.now() - state.waitingSince) / 1000;
      state.waitingSince = null;
    }
    toggle.innerHTML = "&#10074;&#10074;";
    toggle.setAttribute("aria-label", t("pause", "Pause"));
  });
  video.addEventListener("waiting", function () {
    if (state.started && state.waitingSince === null) {
      state.waitingSince = performance.now();
      state.rebufferEvents += 1;
    }
  });
  video.addEventListener("pause", function () {
    toggle.innerHTML = "&#9654;";
    toggle.setAttribute("aria-label", t("play", "Play"));
    heartbeat();
  });
  video.addEventListener("ended", function () { stop(); });

  toggle.addEventListener("click", function () { if (video.paused) video.play(); else video.pause(); });
  startButton.addEventListener("click", start);
  fullscreen.addEventListener("click", function () {
    if (document.fullscreenElement) document.exitFullscreen(); else frame.requestFullscreen().catch(function () {});
  });

  function beat() {
    var buffered = 0;
    for (var i = 0; i < video.buffered.length; i++) {
      if (video.buffered.start(i) <= video.currentTime && video.buffered.end(i) >= video.currentTime) {
        buffered = video.buffered.end(i) - video.currentTime;
      }
    }
    var level = state.hls && state.hls.levels[state.hls.currentLevel];
    if (state.shaka) {
      var active = state.shaka.getVariantTracks().find(function (t) { return t.active; });
      level = active ? { bitrate: active.bandwidth } : null;
    }
    var body = {
      position: video.currentTime || 0,
      duration: video.duration && isFinite(video.duration) ? video.duration : 0,
      bitrate: level ? level.bitrate : null,
      buffer: Math.round(buffered * 10) / 10,
      rebuffer_seconds: Math.round(state.rebufferSeconds * 10) / 10,
      rebuffer_events: state.rebufferEvents,
      events: state.events.splice(0, 50)
    };
    state.rebufferSeconds = 0;
    state.rebufferEvents = 0;
    return body;
  }

  function scheduleHeartbeat() {
    clearInterval(state.timer);
    state.timer = setInterval(heartbeat, (state.session.heartbeat_seconds || 30) * 1000);
  }

  function heartbeat() {
    if (!state.session || state.ended) return;
    api(state.session.heartbeat_url, "POST", beat()).then(function (answer) {
      if (answer.ok && answer.data && answer.data.action === "continue") {
        state.heartbeats += 1;
        tokensUpdate(answer.data.tokens);
        return;
      }
      end();
      startButton.hidden = true;  // the message carries the way forward, as on a refused start
      if (answer.ok && answer.data && answer.data.action === "stop") showRefusal(answer.data);
      else showRefusal((answer.data && answer.data.error) || { code: "session_ended" });
    });
  }

  function end() {
    state.ended = true;
    clearInterval(state.timer);
    if (state.hls) { state.hls.destroy(); state.hls = null; }
    if (state.shaka) { state.shaka.destroy(); state.shaka = null; }
    video.removeAttribute("src");
    controls.hidden = true;
    startButton.hidden = false;
    frame.dataset.state = "idle";
  }

  function stop() {
    if (!state.session || state.ended) return;
    state.ended = true;
    clearInterval(state.timer);
    api(state.session.stop_url, "POST", { position: video.currentTime || 0, duration: video.duration || 0 }, true);
  }

  /* Keyboard: Space or K play/pause, F full screen, M mute, Left/Right 10 s back/on, Up/Down volume. Not while
     typing in a field or using a menu; the seek slider keeps its own arrow keys. */
  document.addEventListener("keydown", function (e) {
    if (!state.session || state.ended || e.ctrlKey || e.metaKey || e.altKey) return;
    var target = e.target;
    var tag = target && target.tagName;
    if (tag === "INPUT" && target !== seek || tag === "SELECT" || tag === "TEXTAREA" || (target && target.isContentEditable)) return;
    if (target === seek && (e.key === "ArrowLeft" || e.key === "ArrowRight")) return;
    if (tag === "BUTTON" && (e.key === " " || e.key === "Enter")) return; // the button's own action
    var key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
    var handled = true;
    if (key === " " || key === "k") { if (video.paused) video.play(); else video.pause(); }
    else if (key === "f") fullscreen.click();
    else if (key === "m") video.muted = !video.muted;
    else if (key === "ArrowLeft") video.currentTime = Math.max(0, video.currentTime - 10);
    else if (key === "ArrowRight") video.currentTime = Math.min(video.duration || Infinity, video.currentTime + 10);
    else if (key === "ArrowUp") video.volume = Math.min(1, video.volume + 0.1);
    else if (key === "ArrowDown") video.volume = Math.max(0, video.volume - 0.1);
    else handled = false;
    if (handled) { e.preventDefault(); showControls(); }
  });

  /* After Play the focus goes to Pause (the Play button it was on disappears). */
  video.addEventListener("playing", function () {
    if (document.activeElement === startButton || document.activeElement === document.body) toggle.focus();
  });

  /* Controls fade after a few idle seconds while playing, and come back on any move, tap, key or focus. On a phone
     (player.css) they sit under the picture, never over it, so they need not hide. */
  var IDLE_MS = 3000;
  var idleTimer = null;
  function showControls() {
    frame.classList.remove("controls-idle");
    clearTimeout(idleTimer);
    idleTimer = setTimeout(function () {
      if (!video.paused && !controls.contains(document.activeElement) && !controls.matches(":hover")) {
        frame.classList.add("controls-idle");
      }
    }, IDLE_MS);
  }
  ["mousemove", "touchstart", "focusin", "click"].forEach(function (type) {
    frame.addEventListener(type, showControls, { passive: true });
  });
  video.addEventListener("play", showControls);
  video.addEventListener("pause", function () { frame.classList.remove("controls-idle"); clearTimeout(idleTimer); });

  /* Leaving: release the stream at once, so that a closed tab does not hold a screen until its heartbeats lapse.
     sendBeacon survives the page's end where fetch may not; it cannot set headers, so the CSRF token travels in
     the form body. pagehide and freeze (a phone discarding the tab) always release; a hidden tab releases only
     when nothing is playing (a viewer may be listening with the tab in the background). */
  function releaseWithBeacon() {
    if (!state.session || state.ended) return;
    var form = new URLSearchParams();
    form.set("csrfmiddlewaretoken", csrf());
    form.set("position", String(video.currentTime || 0));
    if (video.duration && isFinite(video.duration)) form.set("duration", String(video.duration));
    var body = new Blob([form.toString()], { type: "application/x-www-form-urlencoded" });
    if (navigator.sendBeacon && navigator.sendBeacon(state.session.stop_url, body)) {
      state.ended = true;
      clearInterval(state.timer);
      state.releasedByBeacon = true;
      return;
    }
    stop(); // no beacon: the keepalive fetch
  }
  window.addEventListener("pagehide", releaseWithBeacon);
  document.addEventListener("freeze", releaseWithBeacon);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && (video.paused || video.ended)) releaseWithBeacon();
    else if (document.visibilityState === "visible" && state.releasedByBeacon) {
      state.releasedByBeacon = false;
      end(); // the screen was given back: Play starts a new session where the viewer left off
    }
  });

  /* Fail-safe (issue 24): a decryption, append or network error is retried at most FAILSAFE_TRIES times in all,
     FAILSAFE_BACKOFF_MS apart (about 3 s), with loading stopped in between; then every load stops, the session is
     stopped (its stream freed), the failure is reported as a QoE event of the session, and the viewer gets a
     message with a Retry button. Never a player that re-requests one segment for as long as the page is open.
     Refusals (402/403/410: access ended, session ended) are not failures: the heartbeat shows them. */
  var FAILSAFE_TRIES = 3;
  var FAILSAFE_BACKOFF_MS = [1000, 2000];
  var failsafe = { failures: 0, pending: false, timer: null, gaveUp: false, kind: null, position: 0 };
  state.failsafe = failsafe;

  function failsafeReset() {
    clearTimeout(failsafe.timer);
    failsafe.failures = 0;
    failsafe.pending = false;
    failsafe.gaveUp = false;
    failsafe.kind = null;
    failsafe.position = 0;
  }

  /* hls.js: "decrypt", "append" or "network" for the errors the fail-safe owns, null for the rest. */
  function failsafeHlsKind(data) {
    var details = window.Hls.ErrorDetails;
    var code = data.response && data.response.code;
    if (code === 402 || code === 403 || code === 410) return null;
    switch (data.details) {
      case details.FRAG_DECRYPT_ERROR:
      case details.KEY_SYSTEM_NO_KEYS:
      case details.KEY_SYSTEM_SESSION_UPDATE_FAILED:
      case details.KEY_SYSTEM_STATUS_INTERNAL_ERROR:
        return "decrypt";
      case details.FRAG_PARSING_ERROR:
      case details.BUFFER_APPEND_ERROR:
      case details.BUFFER_APPENDING_ERROR:
      case details.BUFFER_ADD_CODEC_ERROR:
      case details.REMUX_ALLOC_ERROR:
        return "append";
      case details.FRAG_LOAD_ERROR:
      case details.FRAG_LOAD_TIMEOUT:
      case details.KEY_LOAD_ERROR:
      case details.KEY_LOAD_TIMEOUT:
      case details.LEVEL_LOAD_ERROR:
      case details.LEVEL_LOAD_TIMEOUT:
      case details.AUDIO_TRACK_LOAD_ERROR:
      case details.AUDIO_TRACK_LOAD_TIMEOUT:
      case details.MANIFEST_LOAD_ERROR:
      case details.MANIFEST_LOAD_TIMEOUT:
        return "network";
    }
    if (!data.fatal) return null;
    return data.type === window.Hls.ErrorTypes.NETWORK_ERROR ? "network" : data.type === window.Hls.ErrorTypes.MEDIA_ERROR ? "append" : null;
  }

  function failsafeHlsError(hls, data) {
    var kind = failsafeHlsKind(data);
    if (!kind) return false;
    var detail = { engine: "hls", code: String(data.details || "").slice(0, 60), status: (data.response && data.response.code) || 0 };
    failsafeFailure(kind, detail, function () {
      hls.stopLoad();
    }, function () {
      if (state.hls !== hls) return;
      if (kind !== "network") hls.recoverMediaError();  // a SourceBuffer that failed needs a fresh MediaSource
      hls.startLoad(failsafe.position > 0 ? failsafe.position : -1);
    });
    return true;
  }

  /* shaka-player (DASH): network, media (append) and DRM (decrypt) errors; shaka already retried the request. */
  function failsafeShakaError(player, error) {
    var category = error && error.category;
    var kind = category === 1 ? "network" : category === 6 ? "decrypt" : category === 3 || category === 5 ? "append" : null;
    if (!kind || (error.data && [402, 403, 410].indexOf(error.data[1]) !== -1)) return false;
    failsafeFailure(kind, { engine: "dash", code: String(error.code || "") }, function () {
      player.unload().catch(function () {});
    }, function () {
      if (state.shaka !== player) return;
      player.load(state.session.manifests.dash, failsafe.position || 0).catch(function (again) {
        failsafeShakaError(player, again);
      });
    });
    return true;
  }

  /* One failure (the errors of one attempt count once): stop loading, then retry after the backoff, or give up. */
  function failsafeFailure(kind, detail, stopLoading, retry) {
    if (failsafe.gaveUp || failsafe.pending || state.ended || !state.session) return;
    failsafe.failures += 1;
    failsafe.kind = kind;
    failsafe.position = Math.max(failsafe.position, video.currentTime || 0, state.session.resume_seconds || 0);
    stopLoading();
    if (failsafe.failures >= FAILSAFE_TRIES) {
      failsafeGiveUp(kind, detail);
      return;
    }
    failsafe.pending = true;
    statusLine.textContent = t("reconnecting", "Reconnecting…");
    failsafe.timer = setTimeout(function () {
      failsafe.pending = false;
      if (state.ended || failsafe.gaveUp) return;
      statusLine.textContent = "";
      retry();
    }, FAILSAFE_BACKOFF_MS[failsafe.failures - 1] || 2000);
  }

  function failsafeGiveUp(kind, detail) {
    var session = state.session;
    failsafe.gaveUp = true;
    clearTimeout(failsafe.timer);
    detail.tries = failsafe.failures;
    detail.position = Math.round((video.currentTime || 0) * 10) / 10;
    stop();  // ends the session with the last position (frees the stream); the heartbeats stop with it
    api(session.qoe_url || session.stop_url.replace(/\/stop$/, "/qoe"), "POST", { kind: kind, detail: detail }, true)
      .catch(function () {});
    if (state.hls) { state.hls.stopLoad(); state.hls.destroy(); state.hls = null; }
    if (state.shaka) { state.shaka.destroy(); state.shaka = null; }
    video.pause();
    video.removeAttribute("src");
    controls.hidden = true;
    statusLine.textContent = "";
    var retryButton = link(t("retry", "Retry"), null, true);
    retryButton.addEventListener("click", function () { failsafeReset(); start(); });
    showMessage(kind === "network"
      ? t("stoppedNetwork", "The film stopped loading: the connection failed several times. We stopped trying so as not to use your data.")
      : t("stoppedDecode", "This film could not be played: part of it could not be decoded. We stopped trying so as not to use your data."),
      [retryButton]);
  }

  /* Playing on for a while after a failure gives the next failure a fresh budget. */
  video.addEventListener("timeupdate", function () {
    if (failsafe.failures && !failsafe.pending && !failsafe.gaveUp && video.currentTime - failsafe.position >= 8) {
      failsafe.failures = 0;
    }
  });

  window.addEventListener("pagehide", stop);
})();
