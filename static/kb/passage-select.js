/* Adding a passage by selecting words in a source's text (admin).
   Progressive enhancement: without this script staff paste the words into
   the form, which the server anchors in the text. With it, selecting words
   in #kb-selectable-text fills the form's exact words, the words before and
   after them (32 characters each, as the W3C TextQuoteSelector) and their
   offsets (TextPositionSelector); the server checks them against the text.
   Offsets count code points, like Python string indices. No inline script:
   the text comes from a JSON data block (json_script), which is not run. */
(function () {
  "use strict";
  var CONTEXT = 32;
  var container = document.getElementById("kb-selectable-text");
  var form = document.getElementById("kb-passage-form");
  var data = document.getElementById("kb-source-text-data");
  if (!container || !form || !data) return;
  var chars = Array.from(JSON.parse(data.textContent));
  var status = document.getElementById("kb-selection-status");

  function field(name) { return form.querySelector("[name='" + name + "']"); }

  // The offset in the source text of a point (node, offset) in a paragraph:
  // the paragraph's own offset plus the text before the point, leaving out
  // footnote references (sup.passage-ref), which are not the source's words.
  function offsetOf(node, offset) {
    var el = node.nodeType === 1 ? node : node.parentNode;
    var para = el && el.closest ? el.closest("p[data-start]") : null;
    if (!para || !container.contains(para)) return null;
    var point = document.createRange();
    point.setStart(node, offset);
    point.collapse(true);
    var count = 0;
    var walker = document.createTreeWalker(para, NodeFilter.SHOW_TEXT);
    var text;
    while ((text = walker.nextNode())) {
      var skip = text.parentNode.closest(".passage-ref") !== null;
      if (text === node) {
        if (!skip) count += Array.from(text.data.slice(0, offset)).length;
        break;
      }
      var whole = document.createRange();
      whole.selectNodeContents(text);
      if (whole.compareBoundaryPoints(Range.START_TO_START, point) >= 0) break;
      if (!skip) count += Array.from(text.data).length;
    }
    return parseInt(para.getAttribute("data-start"), 10) + count;
  }

  function fill() {
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return;
    var range = selection.getRangeAt(0);
    if (!container.contains(range.commonAncestorContainer)) return;
    var start = offsetOf(range.startContainer, range.startOffset);
    var end = offsetOf(range.endContainer, range.endOffset);
    if (start === null || end === null) return;
    while (start < end && /\s/.test(chars[start])) start++;
    while (end > start && /\s/.test(chars[end - 1])) end--;
    if (end <= start) return;
    var exact = chars.slice(start, end).join("");
    field("exact").value = exact;
    field("prefix").value = chars.slice(Math.max(0, start - CONTEXT), start).join("");
    field("suffix").value = chars.slice(end, end + CONTEXT).join("");
    field("start").value = String(start);
    field("end").value = String(end);
    if (status) status.textContent = status.getAttribute("data-template").replace("{words}", exact);
  }

  var timer = null;
  document.addEventListener("selectionchange", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(fill, 150);
  });
  container.addEventListener("mouseup", fill);
  container.addEventListener("keyup", fill);
  // Typing words by hand: the offsets no longer say where they are.
  field("exact").addEventListener("input", function () {
    field("start").value = "";
    field("end").value = "";
  });
})();
