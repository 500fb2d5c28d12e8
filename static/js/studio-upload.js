// The creator portal's master upload: Uppy's dashboard with an uploader that speaks WANS's upload API
// (docs/transcoding.md). Parts are checksummed (SHA-256 in X-Part-SHA256), retried when they fail (after the
// network comes back), and an upload resumes from the parts the server has, after a dropped network or a page
// reload: the upload id is kept in localStorage under the file's name, size and date, so choosing the same file
// again carries on. When the upload completes, the transcoding job's progress shows live (short polling).
(function () {
  "use strict";
  var root = document.getElementById("studio-upload");
  if (!root || !window.Uppy) return;
  var U = window.Uppy;
  var d = root.dataset;
  var words = JSON.parse(document.getElementById("upload-words").textContent);
  var PARALLEL = 3;
  var MAX_TRIES = 8;

  function api(method, url, body) {
    return fetch(url, {
      method: method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": d.csrf, Accept: "application/json" },
      body: body ? JSON.stringify(body) : undefined,
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (json) {
        if (!response.ok) {
          var error = new Error((json.error && json.error.message) || words.failed);
          error.status = response.status;
          error.body = json;
          throw error;
        }
        return json;
      });
    });
  }

  function hex(buffer) {
    return Array.prototype.map.call(new Uint8Array(buffer), function (b) { return b.toString(16).padStart(2, "0"); }).join("");
  }

  function sleep(ms) { return new Promise(function (resolve) { setTimeout(resolve, ms); }); }

  function online() {
    if (navigator.onLine) return Promise.resolve();
    return new Promise(function (resolve) { window.addEventListener("online", resolve, { once: true }); });
  }

  function keyFor(file) {
    return "wans-upload:" + d.film + ":" + file.name + ":" + file.size + ":" + (file.data.lastModified || 0);
  }

  class WansUploader extends U.BasePlugin {
    constructor(uppy, opts) {
      super(uppy, opts);
      this.id = "WansUploader";
      this.type = "uploader";
      this.requests = new Set();
      this.handle = this.handle.bind(this);
    }

    install() {
      this.uppy.addUploader(this.handle);
      var self = this;
      this.uppy.on("cancel-all", function () { self.requests.forEach(function (xhr) { xhr.abort(); }); });
    }

    uninstall() { this.uppy.removeUploader(this.handle); }

    async handle(fileIDs) {
      var files = this.uppy.getFilesByIds(fileIDs);
      this.uppy.emit("upload-start", files);
      for (var file of files) {
        try {
          var job = await this.uploadFile(file);
          this.uppy.emit("upload-success", this.uppy.getFile(file.id), { status: 201, body: job });
          jobWatch(job.id);
        } catch (error) {
          if (error.body && error.body.error && error.body.error.job_id) {
            jobWatch(error.body.error.job_id);  // the file was refused: the job holds the reason
            localStorage.removeItem(keyFor(file));
          }
          this.uppy.emit("upload-error", this.uppy.getFile(file.id), error);
        }
      }
    }

    async start(file) {
      var key = keyFor(file);
      var known = localStorage.getItem(key);
      if (known) {
        try {
          var status = await api("GET", d.statusUrl.replace("UPLOAD_ID", known));
          if (!status.completed) return status;
        } catch (error) { /* gone or not ours: start again */ }
        localStorage.removeItem(key);
      }
      var started = await api("POST", d.startUrl, { film: Number(d.film), filename: file.name, size: file.size });
      localStorage.setItem(key, started.upload_id);
      return api("GET", d.statusUrl.replace("UPLOAD_ID", started.upload_id));
    }

    async uploadFile(file) {
      var status = await this.start(file);
      var self = this;
      var partSize = status.part_size;
      var done = new Set(status.parts_done);
      var missing = [];
      for (var n = 1; n <= status.part_count; n++) if (!done.has(n)) missing.push(n);
      var sent = {};  // part number -> bytes of it sent so far
      var base = status.bytes_received;
      var startedAt = this.uppy.getFile(file.id).progress.uploadStarted || Date.now();
      function report() {
        var bytes = base;
        Object.keys(sent).forEach(function (k) { bytes += sent[k]; });
        self.uppy.emit("upload-progress", self.uppy.getFile(file.id), {
          uploadStarted: startedAt, bytesUploaded: Math.min(bytes, file.size), bytesTotal: file.size,
        });
      }
      report();
      var partUrl = d.partUrl.replace("UPLOAD_ID", status.id);
      var s3 = status.backend === "s3";
      var etags = status.etags || {};  // S3: the ETag of each part the bucket holds, for `complete`
      async function worker() {
        while (missing.length) {
          var number = missing.shift();
          var blob = file.data.slice((number - 1) * partSize, Math.min(number * partSize, file.size));
          // Local: the part's SHA-256 goes with it and the server refuses a damaged part. S3: the bucket checks
          // each part's integrity itself (TLS, size, the part's ETag given back at complete).
          var digest = s3 ? "" : hex(await crypto.subtle.digest("SHA-256", await blob.arrayBuffer()));
          for (var attempt = 1; ; attempt++) {
            try {
              var url = s3 ? (await api("GET", partUrl.replace("PART", number) + "/url")).url : partUrl.replace("PART", number);
              var etag = await self.putPart(url, blob, digest, function (loaded) {
                sent[number] = loaded;
                report();
              }, s3);
              if (s3) etags[String(number)] = etag;
              break;
            } catch (error) {
              sent[number] = 0;
              report();
              if (error.aborted || (error.status && error.status < 500 && error.status !== 429 && !error.damaged)
                  || attempt >= MAX_TRIES) throw error;
              // Offline: say so and wait for the network. A failure while offline is not the part's: it counts
              // as no try, so a mobile network that drops again and again never ends the upload.
              self.tell(navigator.onLine ? words.retrying : words.network);
              if (!navigator.onLine) attempt = 0;
              await online();
              await sleep(Math.min(16000, 500 * Math.pow(2, attempt - 1)));
            }
          }
        }
      }
      var workers = [];
      for (var i = 0; i < PARALLEL; i++) workers.push(worker());
      await Promise.all(workers);
      var body = { upload_id: status.id };
      if (s3) body.parts = Object.keys(etags).map(function (n) { return { number: Number(n), etag: etags[n] }; });
      var job = await api("POST", d.completeUrl, body);
      localStorage.removeItem(keyFor(file));
      return job;
    }

    tell(message) {  // once while it shows, not once per part that met the same trouble
      if (this.told === message && Date.now() - this.toldAt < 3000) return;
      this.told = message;
      this.toldAt = Date.now();
      this.uppy.info(message, "info", 3000);
    }

    putPart(url, blob, digest, onProgress, s3) {
      var self = this;
      return new Promise(function (resolve, reject) {
        var xhr = new XMLHttpRequest();
        self.requests.add(xhr);
        xhr.open("PUT", url);
        if (!s3) {  // a presigned S3 URL takes the bytes alone (the bucket's CORS must expose the ETag header)
          xhr.setRequestHeader("Content-Type", "application/octet-stream");
          xhr.setRequestHeader("X-CSRFToken", d.csrf);
          xhr.setRequestHeader("X-Part-SHA256", digest);
        }
        xhr.upload.onprogress = function (event) { onProgress(event.loaded); };
        xhr.onload = function () {
          self.requests.delete(xhr);
          if (xhr.status >= 200 && xhr.status < 300) {
            onProgress(blob.size);
            var etag = xhr.getResponseHeader("ETag");
            if (s3 && !etag) { var e = new Error(words.failed); e.status = 400; reject(e); return; }
            resolve(etag);
            return;
          }
          var error = new Error(words.partFailed);
          error.status = xhr.status;
          try { error.body = JSON.parse(xhr.responseText); } catch (e) { error.body = {}; }
          var fields = (error.body.error && error.body.error.fields) || {};
          error.damaged = Boolean(fields.sha256 || fields.body);  // damaged on the way: send it again
          if (error.body.error && error.body.error.message && !error.damaged) error.message = error.body.error.message;
          reject(error);
        };
        xhr.onerror = function () { self.requests.delete(xhr); reject(new Error(words.network)); };
        xhr.onabort = function () { self.requests.delete(xhr); var e = new Error(words.cancelled); e.aborted = true; reject(e); };
        xhr.send(blob);
      });
    }
  }

  var uppy = new U.Uppy({
    autoProceed: false,
    locale: { strings: words.uppy, pluralize: function (n) { return n === 1 ? 0 : 1; } },
    restrictions: { maxNumberOfFiles: 1, maxFileSize: 50 * 1024 * 1024 * 1024, allowedFileTypes: ["video/*", ".mov", ".mxf", ".mkv", ".mp4", ".m4v", ".avi"] },
  });
  uppy.use(U.Dashboard, {
    inline: true, target: "#uppy", height: 320, width: "100%", proudlyDisplayPoweredByUppy: false,
    showProgressDetails: true, note: words.note, theme: "dark",
  });
  uppy.use(WansUploader);

  // --- the transcoding job, live -------------------------------------------------------------------------------
  var panel = document.getElementById("job");
  var timer = null;
  function minutes(seconds) {
    if (seconds == null) return "";
    return seconds < 60 ? words.etaSoon : words.eta.replace("%s", Math.round(seconds / 60));
  }
  function render(job) {
    if (!job) return;
    panel.hidden = false;
    panel.querySelector("[data-job-stage]").textContent = job.stage;
    var bar = panel.querySelector("progress");
    bar.value = job.percent;
    panel.querySelector("[data-job-percent]").textContent = job.percent + "%";
    panel.querySelector("[data-job-eta]").textContent = job.finished ? "" : minutes(job.eta_seconds);
    var failure = panel.querySelector("[data-job-error]");
    failure.hidden = job.state !== "failed";
    failure.querySelector("[data-job-error-text]").textContent = job.error;
    panel.querySelector("[data-job-retry]").hidden = !job.can_retry;
    panel.dataset.state = job.state;
  }
  function poll() {
    fetch(d.jobUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (answer) {
        render(answer.job);
        if (answer.job && !answer.job.finished) timer = setTimeout(poll, 2000);
      })
      .catch(function () { timer = setTimeout(poll, 5000); });
  }
  function jobWatch() { clearTimeout(timer); poll(); }
  if (panel.dataset.state && ["completed", "failed", "cancelled"].indexOf(panel.dataset.state) < 0) poll();
})();
