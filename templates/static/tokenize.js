/* The search tokenizer, twin of generator/tokenize.py: identical tokens for every text.
   CJK runs become overlapping bigrams, a lone CJK character stays whole, digit runs and letter
   runs stay whole, everything else separates. Works in the browser (window.zwgkTokenize) and in
   Node (module.exports) so the tests can hold both implementations to the same output. */
(function (root, factory) {
  "use strict";
  if (typeof module === "object" && module.exports) {
    module.exports = factory();
  } else {
    root.zwgkTokenize = factory();
  }
}(typeof self !== "undefined" ? self : this, function () {
  "use strict";
  var CJK_RANGES = [
    [0x3007, 0x3007], [0x3400, 0x4DBF], [0x4E00, 0x9FFF], [0xF900, 0xFAFF],
    [0x20000, 0x2A6DF], [0x2A700, 0x2EE5F], [0x2F800, 0x2FA1F], [0x30000, 0x323AF]
  ];
  var LETTER = /^\p{L}$/u;

  function charClass(ch) {
    var point = ch.codePointAt(0);
    for (var i = 0; i < CJK_RANGES.length; i++) {
      if (point >= CJK_RANGES[i][0] && point <= CJK_RANGES[i][1]) { return "cjk"; }
    }
    if (ch >= "0" && ch <= "9") { return "digit"; }
    if (LETTER.test(ch)) { return "letter"; }
    return "other";
  }

  function normalize(text) {
    return String(text).normalize("NFKC").toLowerCase();
  }

  /* [class, characters, offset] of each run; iterates by code point so characters beyond U+FFFF
     stay whole, and offsets count code points (as the index's offsets do). */
  function runs(text) {
    var found = [];
    var currentClass = "other";
    var current = [];
    var start = 0;
    Array.from(normalize(text || "")).forEach(function (ch, position) {
      var kind = charClass(ch);
      if (kind === currentClass && kind !== "other") {
        current.push(ch);
        return;
      }
      if (currentClass !== "other" && current.length) { found.push([currentClass, current, start]); }
      currentClass = kind;
      current = [ch];
      start = position;
    });
    if (currentClass !== "other" && current.length) { found.push([currentClass, current, start]); }
    return found;
  }

  function tokenize(text) {
    var tokens = [];
    runs(text).forEach(function (pair) {
      var chars = pair[1];
      if (pair[0] === "cjk" && chars.length > 1) {
        for (var i = 0; i < chars.length - 1; i++) { tokens.push(chars[i] + chars[i + 1]); }
      } else {
        tokens.push(chars.join(""));
      }
    });
    return tokens;
  }

  /* What a query is searched as (twin of tokenize.py's words): the stretches of the normalized
     text made only of indexed characters, runs of different kinds side by side staying one word.
     Spaces, punctuation and symbols only separate words: “政策” and 政策。 are the word 政策. */
  function words(text) {
    var found = [];
    var end = -1;
    runs(text).forEach(function (run) {
      var chars = run[1].join("");
      if (run[2] === end) { found[found.length - 1] += chars; } else { found.push(chars); }
      end = run[2] + run[1].length;
    });
    return found;
  }

  return { tokenize: tokenize, words: words, normalize: normalize, runs: runs };
}));
