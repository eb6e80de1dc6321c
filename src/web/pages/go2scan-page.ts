// The GoToScan upload page: the property and who ordered, then the scan files by drag and drop or
// the file picker, sent with progress by /assets/go2scan.js to `POST /go2scan/{token}/upload`.
import { html } from '../html.js';
import { page } from '../layout.js';

export interface Go2scanPageData {
  token: string;
  address: string;
  companyName: string | null;
  maxBytes: number;
  maxTotalBytes: number;
  maxFiles: number;
}

export const ACCEPTED_SCAN_TYPES = 'image/*,video/*,.zip,application/zip';

export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${Number.isInteger(v) ? v : v.toFixed(1)} ${units[i]}`;
}

export function go2scanPage(d: Go2scanPageData): string {
  const action = `/go2scan/${encodeURIComponent(d.token)}/upload`;
  return page({
    title: 'Upload your home scan',
    scripts: ['go2scan.js'],
    main: html`<h1>Upload your home scan</h1>
<dl class="facts">
  <div><dt>Property</dt><dd id="property-address">${d.address}</dd></div>
  ${d.companyName ? html`<div><dt>Ordered by</dt><dd id="ordering-company">${d.companyName}</dd></div>` : ''}
</dl>
<form id="upload-form" class="card" action="${action}" method="post" enctype="multipart/form-data"
  data-max-bytes="${d.maxBytes}" data-max-total-bytes="${d.maxTotalBytes}" data-max-files="${d.maxFiles}">
  <div class="dropzone" id="dropzone">
    <label for="scan-files" class="field-label">Scan files</label>
    <p id="scan-files-hint" class="hint">Drag and drop your files here, or choose them. Photos, videos or one ZIP archive;
      at most ${d.maxFiles} files, each up to ${formatBytes(d.maxBytes)}, ${formatBytes(d.maxTotalBytes)} in all.</p>
    <input type="file" id="scan-files" name="files" multiple required accept="${ACCEPTED_SCAN_TYPES}" aria-describedby="scan-files-hint">
  </div>
  <ul id="file-list" class="file-list" aria-label="Chosen files"></ul>
  <div class="progress-row" id="progress-row" hidden>
    <label for="upload-progress">Upload progress</label>
    <progress id="upload-progress" max="100" value="0">0%</progress>
  </div>
  <p id="upload-status" class="status" role="status" aria-live="polite"></p>
  <button type="submit" id="upload-button">Upload scan</button>
</form>
<section id="upload-done" class="card success" hidden tabindex="-1" aria-labelledby="upload-done-title">
  <h2 id="upload-done-title">Thank you, your scan was received</h2>
  <p>The floor plan of ${d.address} is now being drawn. You can close this page.</p>
</section>`,
  });
}
