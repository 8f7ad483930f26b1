#!/usr/bin/env node
import { createRequire as __fleetpackCreateRequire } from 'node:module';
const require = __fleetpackCreateRequire(import.meta.url);
var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __commonJS = (cb, mod) => function __require() {
  try {
    return mod || (0, cb[__getOwnPropNames(cb)[0]])((mod = { exports: {} }).exports, mod), mod.exports;
  } catch (e) {
    throw mod = 0, e;
  }
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toESM = (mod, isNodeMode, target) => (target = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  isNodeMode || !mod || !mod.__esModule ? __defProp(target, "default", { value: mod, enumerable: true }) : target,
  mod
));

// node_modules/ignore/index.js
var require_ignore = __commonJS({
  "node_modules/ignore/index.js"(exports, module) {
    function makeArray(subject) {
      return Array.isArray(subject) ? subject : [subject];
    }
    var UNDEFINED = void 0;
    var EMPTY = "";
    var SPACE = " ";
    var ESCAPE = "\\";
    var REGEX_LITERAL_SPECIAL = /[.*+?()[\]{}^$|\\/]/;
    var BOM = "\uFEFF";
    var REGEX_ANCHORED_GLOBSTAR = /^\/\*{2,}$/;
    var REGEX_REPLACE_LEADING_EXCAPED_EXCLAMATION = /^\\!/;
    var REGEX_REPLACE_LEADING_EXCAPED_HASH = /^\\#/;
    var REGEX_SPLITALL_CRLF = /\r?\n/g;
    var DOUBLE_SLASH = "//";
    var SLASH_CODE = 47;
    var DOT_CODE = 46;
    var SLASH = "/";
    var TMP_KEY_IGNORE = "node-ignore";
    if (typeof Symbol !== "undefined") {
      TMP_KEY_IGNORE = /* @__PURE__ */ Symbol.for("node-ignore");
    }
    var KEY_IGNORE = TMP_KEY_IGNORE;
    var define = (object, key, value) => {
      Object.defineProperty(object, key, { value });
      return value;
    };
    var RETURN_FALSE = () => false;
    var POSIX_CLASSES = {
      alnum: "0-9A-Za-z",
      alpha: "A-Za-z",
      blank: " \\t",
      cntrl: "\\x00-\\x1f\\x7f",
      digit: "0-9",
      graph: "!-.0-~",
      lower: "a-z",
      print: " -.0-~",
      punct: "!-.:-@\\[-`{-~",
      // git's `sane-ctype.h` classifies \v and \f as control, not space,
      //   unlike C's `isspace`
      space: " \\t\\n\\r",
      upper: "A-Z",
      xdigit: "0-9A-Fa-f"
    };
    var CLASS_MEMBERS_TO_ESCAPE = "\\]^-[";
    var escapeMember = (char) => CLASS_MEMBERS_TO_ESCAPE.indexOf(char) < 0 ? char : ESCAPE + char;
    var NON_SLASH = "(?!\\/)";
    var classSource = (negated, body) => {
      if (negated) {
        return `[^\\/${body}]`;
      }
      const source = `[${body}]`;
      return new RegExp(source).test("/") ? NON_SLASH + source : source;
    };
    var scanBracket = (pattern, start) => {
      const { length } = pattern;
      let index = start + 1;
      let negated = EMPTY;
      const lead = pattern[index];
      if (lead === "!" || lead === "^") {
        negated = "^";
        index++;
      }
      let body = EMPTY;
      let prev = EMPTY;
      for (; ; ) {
        const char = pattern[index];
        if (char === UNDEFINED) {
          return null;
        }
        if (char === ESCAPE) {
          const escaped = pattern[++index];
          body += escapeMember(escaped);
          prev = escaped;
        } else if (char === "-" && prev && index + 1 < length && pattern[index + 1] !== "]") {
          index++;
          let to = pattern[index];
          if (to === ESCAPE) {
            to = pattern[index += 1];
          }
          if (prev <= to) {
            body += `-${escapeMember(to)}`;
          }
          prev = EMPTY;
        } else if (char === "[" && pattern[index + 1] === ":") {
          const nameStart = index + 2;
          let end = nameStart;
          while (end < length && pattern[end] !== "]") {
            end++;
          }
          if (end === length) {
            return null;
          }
          if (end > nameStart && pattern[end - 1] === ":") {
            const name = pattern.slice(nameStart, end - 1);
            if (!Object.prototype.hasOwnProperty.call(POSIX_CLASSES, name)) {
              return null;
            }
            body += POSIX_CLASSES[name];
            prev = EMPTY;
            index = end;
          } else {
            body += escapeMember("[");
            prev = "[";
            index = nameStart - 2;
          }
        } else {
          body += escapeMember(char);
          prev = char;
        }
        index++;
        if (pattern[index] === "]") {
          return {
            end: index,
            source: classSource(negated, body)
          };
        }
      }
    };
    var NEVER_MATCH = "[]";
    var PLACEHOLDER = "\0";
    var REGEX_RESTORE_PLACEHOLDER = new RegExp(
      `${PLACEHOLDER}(\\d+)${PLACEHOLDER}`,
      "g"
    );
    var TRAILING_WILDCARD = "\uE000";
    var TRAILING_DOUBLESTAR = "\uE001";
    var isReserved = (char) => char === PLACEHOLDER || char === TRAILING_WILDCARD || char === TRAILING_DOUBLESTAR;
    var extractBrackets = (pattern) => {
      const sources = [];
      const hold = (source) => `${PLACEHOLDER}${sources.push(source) - 1}${PLACEHOLDER}`;
      const { length } = pattern;
      let out = EMPTY;
      let index = 0;
      while (index < length) {
        const char = pattern[index];
        if (char === ESCAPE) {
          const escaped = pattern[index + 1];
          if (escaped === SLASH && index + 2 === length) {
            out += hold(NEVER_MATCH);
          } else if (escaped === "*" || escaped === "[" || escaped === SPACE) {
            out += pattern.slice(index, index + 2);
          } else {
            out += hold(
              REGEX_LITERAL_SPECIAL.test(escaped) ? ESCAPE + escaped : isReserved(escaped) ? `[${escaped}]` : escaped
            );
          }
          index += 2;
        } else if (isReserved(char)) {
          out += hold(`[${char}]`);
          index++;
        } else if (char === "[") {
          const scanned = scanBracket(pattern, index);
          if (scanned === null) {
            out += hold(NEVER_MATCH);
            index = length;
          } else {
            out += hold(scanned.source);
            index = scanned.end + 1;
          }
        } else {
          out += char;
          index++;
        }
      }
      return {
        source: out,
        sources
      };
    };
    var DIRECT = null;
    var REGEX_INNER_SLASH = /\/(?!$)/;
    var WILDCARD = "[^\\/]*";
    var REPLACERS = [
      // Replace (\ ) with ' '
      // Only a space: an escaped tab or other whitespace is already a literal by
      //   the time it reaches here, and a bare tab must be left as one, not turned
      //   into a space.
      // (\ ) -> ' '
      // (\\ ) -> '\\ '
      // (\\\ ) -> '\\ '
      [
        // A run of backslashes is taken whole, from its first one, so no match
        //   ever starts again inside it -- `(\\+?) ` did, which made a long run
        //   quadratic.
        /(\\+)( ?)/g,
        (_, run2, space) => space ? run2.slice(0, run2.length - run2.length % 2) + SPACE : run2,
        ESCAPE + SPACE
      ],
      // git's wildmatch() reads a run of two or more asterisks as one globstar
      //   whenever the run fills a path segment: it starts the pattern or follows
      //   a `/`, and it ends the pattern or comes before a `/`. A run of two is
      //   already `**`; a longer one is folded into `**` here, so the steps
      //   below only ever have to know `**`.
      // `***/foo` -> `**/foo`, `a/***/b` -> `a/**/b`, `a/***` -> `a/**`
      // git also takes a run beside a literal prefix (`a***/b`) or beside an
      //   escaped slash (`***\/b`) as a globstar, and this does not; the README
      //   lists both, under "A run of asterisks".
      [
        /(^|\/)\*{3,}(?=\/|$)/g,
        (_, start) => `${start}**`,
        "*"
      ],
      // Escape metacharacters
      // which is written down by users but means special for regular expressions.
      // > There are 12 characters with special meanings:
      // > - the backslash \,
      // > - the caret ^,
      // > - the dollar sign $,
      // > - the period or dot .,
      // > - the vertical bar or pipe symbol |,
      // > - the question mark ?,
      // > - the asterisk or star *,
      // > - the plus sign +,
      // > - the opening parenthesis (,
      // > - the closing parenthesis ),
      // > - and the opening square bracket [,
      // > - the opening curly brace {,
      // > These special characters are often called "metacharacters".
      [
        /[\\$.|*+(){^]/g,
        (match) => `\\${match}`
      ],
      [
        // > a question mark (?) matches a single character
        /(?!\\)\?/g,
        () => "[^/]",
        "?"
      ],
      // leading slash
      [
        // > A leading slash matches the beginning of the pathname.
        // > For example, "/*.c" matches "cat-file.c" but not "mozilla-sha1/sha1.c".
        // A leading slash matches the beginning of the pathname
        /^\//,
        () => "^",
        SLASH
      ],
      // replace special metacharacter slash after the leading slash
      [
        /\//g,
        () => "\\/",
        SLASH
      ],
      [
        // > A leading "**" followed by a slash means match in all directories.
        // > For example, "**/foo" matches file or directory "foo" anywhere,
        // > the same as pattern "foo".
        // > "**/foo/bar" matches file or directory "bar" anywhere that is directly
        // >   under directory "foo".
        // Notice that the '*'s have been replaced as '\\*'
        /^\^*(?:\\\*\\\*\\\/)+/,
        // '**/foo' <-> 'foo'
        () => "(?:^|\\/)",
        "*"
      ],
      // starting
      [
        // there will be no leading '/'
        //   (which has been replaced by section "leading slash")
        // If starts with '**', adding a '^' to the regular expression also works
        DIRECT,
        (source, pattern) => {
          if (!source || source[0] === "^" || source[0] === "(") {
            return source;
          }
          const anchor = !REGEX_INNER_SLASH.test(pattern) ? "(?:^|\\/)" : "^";
          return anchor + source;
        }
      ],
      // two globstars
      [
        // Use lookahead assertions so that we could match more than one `'/**'`
        /\\\/\\\*\\\*(?=\\\/|$)/g,
        // Zero, one or several directories
        // should not use '*', or it will be replaced by the next replacer
        // Check if it is not the last `'/**'`
        (_, index, str) => index + 6 < str.length ? str.slice(index + 6) === "\\/" ? "(?:\\/[^\\/]+)+" : "(?:\\/[^\\/]+)*" : `\\/${TRAILING_DOUBLESTAR}`,
        "*"
      ],
      // normal intermediate wildcards
      [
        // Never replace escaped '*'
        // ignore rule '\*' will match the path '*'
        // 'abc.*/' -> go
        // 'abc.*'  -> skip this rule,
        //    coz trailing single wildcard will be handed by [trailing wildcard]
        /(^|[^\\])(?:\\\*)+(?!$)/g,
        // '*.js' matches '.js'
        // '*.js' doesn't match 'abc'
        // 1. An asterisk "*" matches anything except a slash.
        // 2. Other consecutive asterisks are considered regular asterisks
        //    and collapse into one non-slash wildcard run.
        (_, p1) => p1 + WILDCARD,
        "*"
      ],
      // trailing wildcard, held apart from a literal star
      [
        // The step above leaves a trailing `*` alone, so a single `\*` is all that
        //   can be left at the end here, and what stands in front of it says which
        //   kind it is. A wildcard arrives as the escaper wrote it, `\*` with
        //   nothing before it; a literal arrives as the user's own escape, which
        //   the escaper doubled, and then the star's own -- `\\` and then `\*`.
        //   There is no third case: every backslash still reaching the chain is
        //   one `\*`, `\[` or `\ ` carries itself, and each is followed by its
        //   own character, so a longer run can never form. This runs while the
        //   two are still distinct, before the unescape steps below collapse the
        //   literal onto the very `\*` a wildcard leaves behind.
        /(^|[^\\])((?:\\\\)*)\\\*$/,
        (match, p1, p2) => p2 === EMPTY ? p1 + TRAILING_WILDCARD : match,
        "*"
      ],
      [
        // unescape, revert step 3 except for back slash
        // For example, if a user escape a '\\*',
        // after step 3, the result will be '\\\\\\*'
        /\\\\\\(?=[$.|*+(){^])/g,
        () => ESCAPE,
        ESCAPE + ESCAPE
      ],
      [
        // '\\\\' -> '\\'
        /\\\\/g,
        () => ESCAPE,
        ESCAPE + ESCAPE
      ],
      [
        // Every real bracket expression -- POSIX classes included -- has already
        //   been held aside by `extractBrackets`, so the only `[` left in the
        //   pattern is an escaped, literal one.
        // A backslash could only stand at the end of the range if it quoted the
        //   `]`, and `\]` is held aside long before this.
        /\\\[([^\]/]*?)($|\])/g,
        // '\\[bar]' -> '\\\\[bar]'
        (match, range, close) => `\\[${range}${close}`,
        "["
      ],
      // ending
      [
        // 'js' will not match 'js.'
        // 'ab' will not match 'abc'
        DIRECT,
        // WTF!
        // https://git-scm.com/docs/gitignore
        // changes in [2.22.1](https://git-scm.com/docs/gitignore/2.22.1)
        // which re-fixes #24, #38
        // > If there is a separator at the end of the pattern then the pattern
        // > will only match directories, otherwise the pattern can match both
        // > files and directories.
        // 'js*' will not match 'a.js'
        // 'js/' will not match 'a.js'
        // 'js' will match 'a.js' and 'a.js/'
        (source) => {
          const last = source[source.length - 1];
          if (!last || last === TRAILING_WILDCARD || last === TRAILING_DOUBLESTAR) {
            return source;
          }
          return last === SLASH ? `${source}$` : `${source}(?=$|\\/$)`;
        }
      ]
    ];
    var REGEX_REPLACE_TRAILING_WILDCARD = /(^|\\\/)?\uE000$/;
    var MODE_IGNORE = "regex";
    var MODE_CHECK_IGNORE = "checkRegex";
    var UNDERSCORE = "_";
    var replaceTrailingWildcard = (_, p1) => {
      const prefix = p1 ? `${p1}[^/]+` : "[^/]*";
      return `${prefix}(?=$|\\/$)`;
    };
    var REGEX_REPLACE_TRAILING_DOUBLESTAR = /\uE001$/;
    var replaceTrailingDoublestar = () => "[\\s\\S]";
    var separatorAfter = (run2, at) => {
      let separator = EMPTY;
      for (let index = at + 1; index < run2.length && !run2[index].wildcard; index++) {
        separator += run2[index].single;
      }
      return separator;
    };
    var pinWildcards = (source) => {
      if (source.indexOf(WILDCARD) < 0) {
        return source;
      }
      const tokens = [];
      const { length } = source;
      let index = 0;
      while (index < length) {
        const char = source[index];
        if (source.startsWith(WILDCARD, index)) {
          tokens.push({ wildcard: true });
          index += WILDCARD.length;
        } else if (char === "[") {
          let end = index + 1;
          if (source[end] === "^") {
            end++;
          }
          if (source[end] === "]") {
            end++;
          }
          while (end < length && source[end] !== "]") {
            end += source[end] === ESCAPE ? 2 : 1;
          }
          end++;
          tokens.push({ single: source.slice(index, end) });
          index = end;
        } else if (char === ESCAPE) {
          tokens.push({ single: source.slice(index, index + 2) });
          index += 2;
        } else if (char === "(") {
          let depth = 0;
          let end = index;
          do {
            if (source[end] === ESCAPE) {
              end++;
            } else if (source[end] === "(") {
              depth++;
            } else if (source[end] === ")") {
              depth--;
            }
            end++;
          } while (end < length && depth > 0);
          if ("*+?".indexOf(source[end]) >= 0) {
            end++;
          }
          tokens.push({ boundary: source.slice(index, end) });
          index = end;
        } else if (char === "^" || char === "$") {
          tokens.push({ boundary: char });
          index++;
        } else {
          tokens.push({ single: char });
          index++;
        }
      }
      let out = EMPTY;
      let run2 = [];
      const flush = () => {
        let lastWildcard;
        run2.forEach((token, at) => {
          if (token.wildcard) {
            lastWildcard = at;
          }
        });
        run2.forEach((token, at) => {
          if (!token.wildcard) {
            out += token.single;
            return;
          }
          out += at === lastWildcard ? WILDCARD : `(?:(?!${separatorAfter(run2, at)})[^\\/])*`;
        });
        run2 = [];
      };
      tokens.forEach((token) => {
        if (token.boundary === void 0) {
          run2.push(token);
          return;
        }
        flush();
        out += token.boundary;
      });
      flush();
      return out;
    };
    var makeRegexPrefix = (pattern) => {
      if (REGEX_ANCHORED_GLOBSTAR.test(pattern)) {
        pattern = "**";
      }
      const { source, sources } = extractBrackets(pattern);
      const replaced = REPLACERS.reduce(
        // A pass whose matcher finds nothing hands back the very string it was
        //   given, so asking first costs a search and saves a rewrite. Ten of the
        //   fifteen passes never fire for a typical .gitignore line, and between
        //   them they were 45% of this chain.
        (prev, [matcher, replacer, required]) => {
          if (matcher === DIRECT) {
            return replacer(prev, pattern);
          }
          if (required !== UNDEFINED && prev.indexOf(required) < 0) {
            return prev;
          }
          return matcher.test(prev) ? prev.replace(matcher, replacer.bind(pattern)) : prev;
        },
        source
      );
      return sources.length ? replaced.replace(
        REGEX_RESTORE_PLACEHOLDER,
        (match, index) => sources[index]
      ) : replaced;
    };
    var checkSourceOf = (body, prefix) => {
      if (body[body.length - 1] === SLASH) {
        prefix = makeRegexPrefix(body.slice(0, -1));
      }
      const head = prefix.slice(0, -1);
      const last = prefix[prefix.length - 1];
      return last === TRAILING_WILDCARD ? `${head}$` : last === TRAILING_DOUBLESTAR ? head : NEVER_MATCH;
    };
    var matchesBasename = (body) => {
      const index = body.indexOf(SLASH);
      return index < 0 || index === body.length - 1;
    };
    var basenameOf = (path) => {
      const end = path.length - 1;
      const index = path.lastIndexOf(
        SLASH,
        path[end] === SLASH ? end - 1 : end
      );
      return index < 0 ? path : path.slice(index + 1);
    };
    var parentOf = (path) => {
      if (path.charCodeAt(0) === SLASH_CODE || path.indexOf(DOUBLE_SLASH) >= 0) {
        const slices = path.split(SLASH).filter(Boolean);
        slices.pop();
        return slices.length ? slices.join(SLASH) + SLASH : EMPTY;
      }
      const end = path.length - 1;
      const cut = path.lastIndexOf(
        SLASH,
        path.charCodeAt(end) === SLASH_CODE ? end - 1 : end
      );
      return cut < 0 ? EMPTY : path.slice(0, cut + 1);
    };
    var isString = (subject) => typeof subject === "string";
    var checkPattern = (pattern) => pattern && isString(pattern);
    var splitPattern = (pattern) => (pattern[pattern.length - 1] === "\r" ? pattern.slice(0, -1) : pattern).split(REGEX_SPLITALL_CRLF).filter(Boolean);
    var IgnoreRule = class {
      constructor(pattern, mark, body, ignoreCase, negative, prefix) {
        this.pattern = pattern;
        this.mark = mark;
        this.negative = negative;
        define(this, "body", body);
        define(this, "ignoreCase", ignoreCase);
        define(this, "regexPrefix", prefix);
      }
      // Worked out on first use and kept behind an own property, the way `regex`
      //   caches itself in `_regex`. Deciding it in the constructor instead would
      //   add a fourth `defineProperty` to every rule ever built, which cost 4% of
      //   every compile -- including the compiles of rules that are never matched
      //   against anything.
      get _basenameOnly() {
        return define(this, "_basenameOnly", matchesBasename(this.body));
      }
      get regex() {
        const key = UNDERSCORE + MODE_IGNORE;
        if (this[key]) {
          return this[key];
        }
        return this._make(MODE_IGNORE, key);
      }
      get checkRegex() {
        const key = UNDERSCORE + MODE_CHECK_IGNORE;
        if (this[key]) {
          return this[key];
        }
        return this._make(MODE_CHECK_IGNORE, key);
      }
      _make(mode, key) {
        const str = pinWildcards(
          mode === MODE_IGNORE ? this.regexPrefix.replace(REGEX_REPLACE_TRAILING_WILDCARD, replaceTrailingWildcard).replace(REGEX_REPLACE_TRAILING_DOUBLESTAR, replaceTrailingDoublestar) : checkSourceOf(this.body, this.regexPrefix)
        );
        const regex = this.ignoreCase ? new RegExp(str, "i") : new RegExp(str);
        return define(this, key, regex);
      }
    };
    var hasTrailingBackslash = (str) => {
      let count = 0;
      while (str[str.length - count - 1] === ESCAPE) {
        count++;
      }
      return count % 2 === 1;
    };
    var trimEnd = (body, stripLineEnd) => {
      let lineEnd = body.length;
      let end;
      for (; ; ) {
        if (stripLineEnd && body[lineEnd - 1] === "\r") {
          lineEnd--;
        }
        end = lineEnd;
        while (body[end - 1] === SPACE) {
          end--;
        }
        if (!stripLineEnd || body[end - 1] !== "\n") {
          break;
        }
        lineEnd = end - 1;
      }
      if (end === lineEnd) {
        return body.slice(0, lineEnd);
      }
      let backslashes = 0;
      while (body[end - backslashes - 1] === ESCAPE) {
        backslashes++;
      }
      return backslashes % 2 ? body.slice(0, end - 1) + SPACE : body.slice(0, end);
    };
    var createRule = (pattern, mark, ignoreCase, stripLineEnd, stripBOM) => {
      let body = stripBOM && pattern[0] === BOM ? pattern.slice(1) : pattern;
      if (body[0] === "#") {
        return;
      }
      let negative = false;
      if (body[0] === "!") {
        negative = true;
        body = body.slice(1);
      }
      const last = body[body.length - 1];
      if (last === SPACE || stripLineEnd && (last === "\r" || last === "\n")) {
        body = trimEnd(body, stripLineEnd);
      }
      if (!body || hasTrailingBackslash(body)) {
        return;
      }
      body = body.replace(REGEX_REPLACE_LEADING_EXCAPED_EXCLAMATION, "!").replace(REGEX_REPLACE_LEADING_EXCAPED_HASH, "#");
      const regexPrefix = makeRegexPrefix(body);
      return new IgnoreRule(
        pattern,
        mark,
        body,
        ignoreCase,
        negative,
        regexPrefix
      );
    };
    var RuleManager = class {
      constructor(ignoreCase) {
        this._ignoreCase = ignoreCase;
        this._rules = [];
        this._basenameCount = 0;
      }
      _add(pattern, index) {
        if (pattern && pattern[KEY_IGNORE]) {
          this._rules = this._rules.concat(pattern._rules._rules);
          this._basenameCount += pattern._rules._basenameCount;
          this._added = true;
          return;
        }
        const isStr = isString(pattern);
        const raw = isStr ? pattern : pattern.pattern;
        const rule = checkPattern(raw) && createRule(
          raw,
          isStr ? UNDEFINED : pattern.mark,
          this._ignoreCase,
          !this._split,
          this._stripBOM && !index
        );
        if (rule) {
          this._added = true;
          this._rules.push(rule);
          if (matchesBasename(rule.body)) {
            this._basenameCount++;
          }
        }
      }
      // @param {Array<string> | string | Ignore} pattern
      add(pattern) {
        this._added = false;
        this._split = isString(pattern);
        this._stripBOM = !this._split || pattern[0] === BOM;
        makeArray(
          this._split ? splitPattern(pattern) : pattern
        ).forEach(this._add, this);
        if (this._added) {
          this._literalRules = UNDEFINED;
        }
        return this._added;
      }
      // Match the literal 'abc/' for `checkIgnore`, last rule wins. Only a rule
      //   ending in a wildcard can match it (see `checkSourceOf`), so the rest
      //   are left out once, rather than tested or compiled for every path.
      testLiteral(path) {
        const rules = this._literalRules || (this._literalRules = this._rules.filter(
          ({ body }) => body[body.length - (body[body.length - 1] === SLASH ? 2 : 1)] === "*"
        ));
        let ignored = false;
        let unignored = false;
        let matchedRule;
        for (let index = rules.length - 1; index >= 0; index--) {
          const rule = rules[index];
          if (rule.checkRegex.test(path)) {
            ignored = !rule.negative;
            unignored = rule.negative;
            matchedRule = rule.negative ? UNDEFINED : rule;
            break;
          }
        }
        const ret = {
          ignored,
          unignored
        };
        if (matchedRule) {
          ret.rule = matchedRule;
        }
        return ret;
      }
      // Test one single path without recursively checking parent directories
      //
      // - mode `string` either `MODE_IGNORE` or `MODE_CHECK_IGNORE`
      // @returns {TestResult}
      test(path, mode) {
        const rules = this._rules;
        const { length } = rules;
        const shortcut = this._basenameCount * 2 >= length;
        const basename2 = shortcut ? basenameOf(path) : path;
        for (let index = length - 1; index >= 0; index--) {
          const rule = rules[index];
          if (rule[mode].test(
            shortcut && rule._basenameOnly ? basename2 : path
          )) {
            const { negative } = rule;
            const ret = {
              ignored: !negative,
              unignored: negative
            };
            if (!negative) {
              ret.rule = rule;
            }
            return ret;
          }
        }
        return {
          ignored: false,
          unignored: false
        };
      }
    };
    var throwError = (message, Ctor) => {
      throw new Ctor(message);
    };
    var checkPath = (path, originalPath, doThrow) => {
      if (!isString(path)) {
        return doThrow(
          `path must be a string, but got \`${originalPath}\``,
          TypeError
        );
      }
      if (!path) {
        return doThrow(`path must not be empty`, TypeError);
      }
      if (checkPath.isNotRelative(path)) {
        const r = "`path.relative()`d";
        return doThrow(
          `path should be a ${r} string, but got "${originalPath}"`,
          RangeError
        );
      }
      return true;
    };
    var isNotRelative = (path) => {
      const first = path.charCodeAt(0);
      if (first === SLASH_CODE) {
        return true;
      }
      if (first !== DOT_CODE) {
        return false;
      }
      if (path.length === 1) {
        return true;
      }
      const second = path.charCodeAt(1);
      if (second === SLASH_CODE) {
        return true;
      }
      if (second !== DOT_CODE) {
        return false;
      }
      return path.length === 2 || path.charCodeAt(2) === SLASH_CODE;
    };
    checkPath.isNotRelative = isNotRelative;
    checkPath.convert = (p) => p;
    var convertPath = (target) => isString(target) && checkPath.convert(target);
    var Ignore = class {
      constructor({
        ignorecase = true,
        ignoreCase = ignorecase,
        allowRelativePaths = false
      } = {}) {
        define(this, KEY_IGNORE, true);
        this._rules = new RuleManager(ignoreCase);
        this._strictPathCheck = !allowRelativePaths;
        this._initCache();
      }
      _initCache() {
        this._ignoreCache = /* @__PURE__ */ Object.create(null);
        this._testCache = /* @__PURE__ */ Object.create(null);
      }
      add(pattern) {
        if (this._rules.add(pattern)) {
          this._initCache();
        }
        return this;
      }
      // legacy
      addPattern(pattern) {
        return this.add(pattern);
      }
      // @returns {TestResult}
      _test(originalPath, cache, path) {
        checkPath(
          path,
          originalPath,
          this._strictPathCheck ? throwError : RETURN_FALSE
        );
        return path ? this._t(path, cache) : {
          ignored: false,
          unignored: false
        };
      }
      checkIgnore(target) {
        const path = convertPath(target);
        if (!path || path.charCodeAt(path.length - 1) !== SLASH_CODE) {
          return this._test(target, this._testCache, path);
        }
        const dir = this._t(path, this._testCache);
        if (dir.ignored) {
          return dir;
        }
        const literal = this._rules.testLiteral(path);
        return literal.ignored || literal.unignored ? literal : dir;
      }
      _t(path, cache) {
        if (path in cache) {
          return cache[path];
        }
        const parentPath = parentOf(path);
        const parent = parentPath ? this._t(parentPath, cache) : UNDEFINED;
        return cache[path] = parent && parent.ignored ? parent : this._rules.test(path, MODE_IGNORE);
      }
      ignores(path) {
        return this._test(path, this._ignoreCache, convertPath(path)).ignored;
      }
      createFilter() {
        return (path) => !this.ignores(path);
      }
      filter(paths) {
        return makeArray(paths).filter(this.createFilter());
      }
      // @returns {TestResult}
      test(path) {
        return this._test(path, this._testCache, convertPath(path));
      }
    };
    var factory = (options) => new Ignore(options);
    var isPathValid = (path) => checkPath(convertPath(path), path, RETURN_FALSE);
    var setupWindows = () => {
      const makePosix = (str) => /^\\\\\?\\/.test(str) || /["<>|\u0000-\u001F]+/u.test(str) ? str : str.replace(/\\/g, "/");
      checkPath.convert = makePosix;
      const REGEX_TEST_WINDOWS_PATH_ABSOLUTE = /^[a-z]:\//i;
      checkPath.isNotRelative = (path) => REGEX_TEST_WINDOWS_PATH_ABSOLUTE.test(path) || isNotRelative(path);
    };
    if (
      // Detect `process` so that it can run in browsers.
      typeof process !== "undefined" && process.platform === "win32"
    ) {
      setupWindows();
    }
    module.exports = factory;
    factory.default = factory;
    module.exports.isPathValid = isPathValid;
    define(module.exports, /* @__PURE__ */ Symbol.for("setupWindows"), setupWindows);
  }
});

// src/cli.ts
import { resolve as resolve3 } from "node:path";
import { parseArgs } from "node:util";

// src/artifact/index.ts
import { join as join2 } from "node:path";

// src/artifact/layer.ts
import { createHash } from "node:crypto";
import fs, { createReadStream, createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { once } from "node:events";
import { finished } from "node:stream/promises";

// src/errors.ts
var FleetpackError = class extends Error {
  hint;
  constructor(message, options = {}) {
    super(message, options.cause === void 0 ? void 0 : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options.hint;
  }
  /** The message followed by the hint, as shown to users. */
  get explanation() {
    return this.hint ? `${this.message}
  fix: ${this.hint}` : this.message;
  }
};
var InputError = class extends FleetpackError {
};
var BuildError = class extends FleetpackError {
};
function describeError(error) {
  if (error instanceof FleetpackError) return error.explanation;
  if (error instanceof Error) return error.stack ?? error.message;
  return String(error);
}

// src/artifact/gzip.ts
import { availableParallelism } from "node:os";
import { promisify } from "node:util";
import zlib from "node:zlib";
var deflateRaw = promisify(zlib.deflateRaw);
var WINDOW = 32 * 1024;
var HEADER = Buffer.from([31, 139, 8, 0, 0, 0, 0, 0, 0, 3]);
var ParallelGzip = class {
  constructor(sink, options) {
    this.sink = sink;
    this.options = options;
    this.blockSize = options.blockSize ?? 1024 * 1024;
    this.block = Buffer.allocUnsafe(this.blockSize);
    this.concurrency = Math.max(1, options.concurrency ?? availableParallelism() + 1);
  }
  sink;
  options;
  blockSize;
  concurrency;
  inFlight = [];
  /** The block being filled: written into once, then handed to zlib as is. */
  block;
  filled = 0;
  dictionary = Buffer.alloc(0);
  crc = 0;
  length = 0;
  started = false;
  async write(data) {
    let offset = 0;
    while (offset < data.length) {
      const take = Math.min(this.blockSize - this.filled, data.length - offset);
      data.copy(this.block, this.filled, offset, offset + take);
      this.filled += take;
      offset += take;
      if (this.filled === this.blockSize) await this.submit(false);
    }
  }
  /** Compresses what is left, then writes the trailer. */
  async end() {
    await this.submit(true);
    while (this.inFlight.length > 0) await this.emitOldest();
    const trailer = Buffer.alloc(8);
    trailer.writeUInt32LE(this.crc >>> 0, 0);
    trailer.writeUInt32LE(this.length % 2 ** 32, 4);
    await this.sink(trailer);
  }
  async submit(last) {
    const block = this.block.subarray(0, this.filled);
    this.block = Buffer.allocUnsafe(this.blockSize);
    this.filled = 0;
    this.options.inspect?.(block);
    this.crc = zlib.crc32(block, this.crc);
    this.length += block.length;
    const compressed = deflateRaw(block, {
      level: this.options.level,
      memLevel: 9,
      // One output buffer for the whole block: one thread-pool round trip, not one per 16 KiB.
      chunkSize: this.blockSize + 64 * 1024,
      ...this.dictionary.length > 0 ? { dictionary: this.dictionary } : {},
      finishFlush: last ? zlib.constants.Z_FINISH : zlib.constants.Z_SYNC_FLUSH
    });
    compressed.catch(() => void 0);
    this.inFlight.push(compressed);
    this.dictionary = block.length >= WINDOW ? block.subarray(block.length - WINDOW) : Buffer.concat([this.dictionary, block]).subarray(-WINDOW);
    while (this.inFlight.length >= this.concurrency) await this.emitOldest();
  }
  async emitOldest() {
    const compressed = await this.inFlight.shift();
    if (!this.started) {
      this.started = true;
      await this.sink(HEADER);
    }
    await this.sink(compressed);
  }
};

// src/artifact/tar.ts
var BLOCK_SIZE = 512;
var END_OF_ARCHIVE = Buffer.alloc(2 * BLOCK_SIZE);
var NAME_SIZE = 100;
var PREFIX_SIZE = 155;
var MAX_OCTAL_SIZE = 8589934591;
function encodeHeader(entry) {
  const typeflag = entry.type === "directory" ? "5" : "0";
  const size = entry.type === "directory" ? 0 : entry.size;
  const pax = {};
  let name = entry.name;
  let prefix = "";
  if (!fitsUstarName(name)) {
    const split = splitUstarPath(name);
    if (split) {
      ;
      [prefix, name] = split;
    } else {
      pax.path = entry.name;
      name = truncateAscii(entry.name, NAME_SIZE);
    }
  }
  if (size > MAX_OCTAL_SIZE) pax.size = String(size);
  const header = ustarBlock({
    name,
    prefix,
    mode: entry.mode,
    size: pax.size ? 0 : size,
    typeflag
  });
  if (Object.keys(pax).length === 0) return header;
  return Buffer.concat([paxHeader(entry.name, pax), header]);
}
function padding(size) {
  const remainder = size % BLOCK_SIZE;
  return remainder === 0 ? Buffer.alloc(0) : Buffer.alloc(BLOCK_SIZE - remainder);
}
function ustarBlock(fields) {
  const block = Buffer.alloc(BLOCK_SIZE);
  block.write(fields.name, 0, NAME_SIZE, "utf8");
  writeOctal(block, 100, 8, fields.mode);
  writeOctal(block, 108, 8, 0);
  writeOctal(block, 116, 8, 0);
  writeOctal(block, 124, 12, fields.size);
  writeOctal(block, 136, 12, 0);
  block.write(fields.typeflag, 156, 1, "ascii");
  block.write("ustar\0", 257, 6, "ascii");
  block.write("00", 263, 2, "ascii");
  writeOctal(block, 329, 8, 0);
  writeOctal(block, 337, 8, 0);
  block.write(fields.prefix, 345, PREFIX_SIZE, "utf8");
  block.fill(" ", 148, 156);
  let checksum = 0;
  for (const byte of block) checksum += byte;
  block.write(checksum.toString(8).padStart(6, "0") + "\0 ", 148, 8, "ascii");
  return block;
}
function paxHeader(fullName, records) {
  let body = "";
  for (const key of Object.keys(records).sort()) body += paxRecord(key, records[key] ?? "");
  const data = Buffer.from(body, "utf8");
  const slash = fullName.lastIndexOf("/");
  const dir = slash < 0 ? "" : fullName.slice(0, slash + 1);
  const base = fullName.slice(slash + 1);
  const header = ustarBlock({
    name: truncateAscii(`${dir}PaxHeaders.0/${base}`, NAME_SIZE),
    prefix: "",
    mode: 0,
    size: data.length,
    typeflag: "x"
  });
  return Buffer.concat([header, data, padding(data.length)]);
}
function paxRecord(key, value) {
  const rest = ` ${key}=${value}
`;
  const restLength = Buffer.byteLength(rest);
  let length = restLength + 1;
  while (String(length).length + restLength > length) length++;
  return `${length}${rest}`;
}
function writeOctal(block, offset, width, value) {
  block.write(value.toString(8).padStart(width - 1, "0") + "\0", offset, width, "ascii");
}
function isAscii(text) {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0 || code > 127) return false;
  }
  return true;
}
function fitsUstarName(name) {
  return name.length <= NAME_SIZE && isAscii(name);
}
function splitUstarPath(name) {
  if (!isAscii(name) || name.length <= NAME_SIZE) return void 0;
  let length = name.length;
  if (length > PREFIX_SIZE + 1) length = PREFIX_SIZE + 1;
  else if (name[length - 1] === "/") length--;
  const i = name.lastIndexOf("/", length - 1);
  const suffixLength = name.length - i - 1;
  if (i <= 0 || suffixLength > NAME_SIZE || suffixLength === 0 || i > PREFIX_SIZE) return void 0;
  return [name.slice(0, i), name.slice(i + 1)];
}
function truncateAscii(text, max) {
  let ascii = "";
  for (const char of text) ascii += isAscii(char) ? char : "_";
  return ascii.slice(0, max);
}

// src/artifact/walk.ts
import { lstat, readFile, readdir, realpath, stat } from "node:fs/promises";
import { join, relative, isAbsolute, sep } from "node:path";

// src/artifact/ignore.ts
var import_ignore = __toESM(require_ignore(), 1);
var FLUX_DEFAULT_EXCLUSIONS = [
  ".git/",
  ".gitignore",
  ".gitmodules",
  ".gitattributes",
  "*.jpg",
  "*.jpeg",
  "*.gif",
  "*.png",
  "*.wmv",
  "*.flv",
  "*.tar.gz",
  "*.zip"
];
var SOURCEIGNORE_FILE = ".sourceignore";
var IgnoreRules = class _IgnoreRules {
  constructor(treePatterns, userPatterns) {
    this.treePatterns = treePatterns;
    this.userPatterns = userPatterns;
    this.matcher = (0, import_ignore.default)().add([...treePatterns, ...userPatterns]);
  }
  treePatterns;
  userPatterns;
  matcher;
  static create(userPatterns = []) {
    return new _IgnoreRules(FLUX_DEFAULT_EXCLUSIONS, userPatterns);
  }
  /**
   * The rules for a subdirectory `dir` (archive-relative, '/'-separated) that
   * holds a `.sourceignore` with `content`.
   */
  withSourceIgnore(dir, content2) {
    const rebased = parsePatternLines(content2).map((p) => rebasePattern(p, dir));
    return new _IgnoreRules([...this.treePatterns, ...rebased], this.userPatterns);
  }
  /** Whether an archive-relative path is left out of the artifact. */
  ignores(path, isDirectory) {
    return this.matcher.ignores(isDirectory ? `${path}/` : path);
  }
};
function parsePatternLines(text) {
  return text.split(/\r?\n/).map((line) => line.replace(/(?<!\\)\s+$/, "")).filter((line) => line !== "" && !line.startsWith("#"));
}
function rebasePattern(pattern, dir) {
  if (dir === "") return pattern;
  let negation = "";
  let body = pattern;
  if (body.startsWith("!")) {
    negation = "!";
    body = body.slice(1);
  }
  const withoutTrailingSlash = body.endsWith("/") ? body.slice(0, -1) : body;
  const anchored = withoutTrailingSlash.includes("/");
  if (body.startsWith("/")) body = body.slice(1);
  return anchored ? `${negation}${dir}/${body}` : `${negation}${dir}/**/${body}`;
}

// src/artifact/walk.ts
var utf8 = new TextDecoder("utf-8", { fatal: true });
async function* walkTree(dir, options) {
  const rootStats = await statOrThrow(dir);
  if (!rootStats.isDirectory()) {
    throw new BuildError(`${dir} is not a directory`, {
      hint: "give the path of a directory of Kubernetes configuration, not a file"
    });
  }
  const repositoryRoot = await realpath(options.repositoryRoot).catch((cause) => {
    throw new BuildError(`repository root ${options.repositoryRoot} cannot be read`, { cause });
  });
  const realDir = await realpath(dir);
  if (!isInside(repositoryRoot, realDir)) {
    throw new BuildError(`${dir} is outside the repository root ${options.repositoryRoot}`, {
      hint: "publish directories of the repository only, or set the repository root to include it"
    });
  }
  yield { name: ".", type: "directory", sourcePath: dir, mode: 493, size: 0 };
  yield* walkDirectory({
    displayPath: dir,
    realPath: realDir,
    archivePrefix: "",
    rules: IgnoreRules.create(options.ignorePatterns ?? []),
    repositoryRoot,
    ancestors: /* @__PURE__ */ new Set([realDir])
  });
}
async function* walkDirectory(visit) {
  const rawNames = await readdir(visit.realPath, { encoding: "buffer" }).catch((cause) => {
    throw new BuildError(`cannot read directory ${visit.displayPath}`, {
      hint: "make the directory readable by the user running fleetpack",
      cause
    });
  });
  rawNames.sort(Buffer.compare);
  let rules = visit.rules;
  const names = rawNames.map((raw) => decodeName(raw, visit.displayPath));
  const sourceIgnorePath = join(visit.realPath, SOURCEIGNORE_FILE);
  if (names.includes(SOURCEIGNORE_FILE) && (await lstat(sourceIgnorePath)).isFile()) {
    const content2 = await readFile(sourceIgnorePath, "utf8");
    rules = rules.withSourceIgnore(visit.archivePrefix.replace(/\/$/, ""), content2);
  }
  const stats = await lstatAll(names.map((name) => join(visit.realPath, name)));
  for (const [index, name] of names.entries()) {
    const archiveName = visit.archivePrefix + name;
    validateArchiveName(archiveName, visit.displayPath);
    const displayPath = join(visit.displayPath, name);
    const linkPath = join(visit.realPath, name);
    const own = stats[index];
    let target = own;
    let sourcePath = linkPath;
    if (own.isSymbolicLink()) {
      const resolved = await resolveLink(linkPath, displayPath, visit.repositoryRoot);
      if (resolved === void 0) {
        if (rules.ignores(archiveName, false)) continue;
        throw new BuildError(`${displayPath} is a dangling symlink`, {
          hint: "remove the link, point it at a file of the repository, or add it to ignore-paths"
        });
      }
      if (rules.ignores(archiveName, resolved.stats.isDirectory())) continue;
      if (resolved.outside) {
        throw new BuildError(
          `${displayPath} is a symlink to ${resolved.realPath}, outside the repository root`,
          {
            hint: "fleetpack never archives files from outside the repository (a runner holds credentials there); copy the file into the repository or add the link to ignore-paths"
          }
        );
      }
      target = resolved.stats;
      sourcePath = resolved.realPath;
    } else if (rules.ignores(archiveName, own.isDirectory())) {
      continue;
    }
    if (target.isDirectory()) {
      if (visit.ancestors.has(sourcePath)) {
        throw new BuildError(`${displayPath} is a symlink that loops back to ${sourcePath}`, {
          hint: "remove the link or add it to ignore-paths"
        });
      }
      yield { name: archiveName, type: "directory", sourcePath, mode: 493, size: 0 };
      const ancestors = new Set(visit.ancestors).add(sourcePath);
      yield* walkDirectory({
        displayPath,
        realPath: sourcePath,
        archivePrefix: `${archiveName}/`,
        rules,
        repositoryRoot: visit.repositoryRoot,
        ancestors
      });
    } else if (target.isFile()) {
      const executable = (target.mode & 64) !== 0;
      yield {
        name: archiveName,
        type: "file",
        sourcePath,
        mode: executable ? 493 : 420,
        size: target.size
      };
    } else {
      throw new BuildError(`${displayPath} is a ${describeKind(target)}, not a file or directory`, {
        hint: "Flux artifacts hold regular files and directories only; remove it or add it to ignore-paths"
      });
    }
  }
}
var LSTAT_CONCURRENCY = 64;
async function lstatAll(paths) {
  const results = new Array(paths.length);
  let next = 0;
  async function worker() {
    while (next < paths.length) {
      const index = next++;
      results[index] = await lstat(paths[index]);
    }
  }
  await Promise.all(Array.from({ length: Math.min(LSTAT_CONCURRENCY, paths.length) }, worker));
  return results;
}
async function resolveLink(linkPath, displayPath, repositoryRoot) {
  let realPath;
  try {
    realPath = await realpath(linkPath);
  } catch (cause) {
    if (isErrno(cause, "ENOENT") || isErrno(cause, "ELOOP")) return void 0;
    throw new BuildError(`cannot resolve symlink ${displayPath}`, { cause });
  }
  const stats = await stat(realPath);
  return { realPath, stats, outside: !isInside(repositoryRoot, realPath) };
}
function isInside(root, candidate) {
  const rel = relative(root, candidate);
  return rel === "" || !rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel);
}
function decodeName(raw, parent) {
  try {
    return utf8.decode(raw);
  } catch {
    const shown = raw.toString("utf8");
    throw new BuildError(`${join(parent, shown)} has a name that is not valid UTF-8`, {
      hint: "rename the file with a UTF-8 name (Flux and most registries expect UTF-8 paths)"
    });
  }
}
function validateArchiveName(name, where) {
  const problem = name === "" ? "an empty name" : name.includes("\\") ? "a backslash in its name" : name.startsWith("/") ? "an absolute name" : name.split("/").some((part) => part === ".." || part === "") ? 'a ".." or empty segment in its name' : void 0;
  if (problem) {
    throw new BuildError(`${join(where, name)} has ${problem}, which Flux rejects`, {
      hint: "rename the file: Flux source-controller refuses the whole artifact when one entry has such a name"
    });
  }
}
async function statOrThrow(dir) {
  try {
    return await stat(dir);
  } catch (cause) {
    if (isErrno(cause, "ENOENT")) {
      throw new BuildError(`${dir} does not exist`, {
        hint: "check the path (it is relative to the working directory, usually the repository root)",
        cause
      });
    }
    throw new BuildError(`cannot read ${dir}`, { cause });
  }
}
function describeKind(stats) {
  if (stats.isFIFO()) return "named pipe (fifo)";
  if (stats.isSocket()) return "socket";
  if (stats.isCharacterDevice()) return "character device";
  if (stats.isBlockDevice()) return "block device";
  return "special file";
}
function isErrno(error, code) {
  return typeof error === "object" && error !== null && error.code === code;
}

// src/artifact/layer.ts
var WHOLE_READ_LIMIT = 1024 * 1024;
var READ_AHEAD_FILES = 32;
var READ_AHEAD_BYTES = 8 * 1024 * 1024;
var GZIP_LEVEL = 6;
async function buildLayer(dir, options) {
  const partial = `${options.outputPath}.partial-${process.pid}`;
  const uncompressed = createHash("sha256");
  const compressed = createHash("sha256");
  let size = 0;
  let files = 0;
  const file = createWriteStream(partial, { mode: 420 });
  const fileError = new Promise((_, reject) => file.once("error", reject));
  fileError.catch(() => void 0);
  const gzip = new ParallelGzip(
    async (chunk) => {
      compressed.update(chunk);
      size += chunk.length;
      if (!file.write(chunk)) await Promise.race([once(file, "drain"), fileError]);
    },
    { level: GZIP_LEVEL, inspect: (block) => uncompressed.update(block) }
  );
  try {
    for await (const chunk of tarStream(dir, options, () => files++)) await gzip.write(chunk);
    await gzip.end();
    file.end();
    await Promise.race([finished(file), fileError]);
    await rename(partial, options.outputPath);
  } catch (error) {
    file.destroy();
    await rm(partial, { force: true });
    throw error;
  }
  return {
    path: options.outputPath,
    digest: sha256(compressed),
    diffId: sha256(uncompressed),
    size,
    files
  };
}
async function hashTree(dir, options) {
  const uncompressed = createHash("sha256");
  let files = 0;
  for await (const chunk of tarStream(dir, options, () => files++)) uncompressed.update(chunk);
  return { diffId: sha256(uncompressed), files };
}
async function* tarStream(dir, options, countFile) {
  const queue = [];
  let queuedBytes = 0;
  let files = 0;
  async function* emit(pending) {
    const { entry } = pending;
    yield encodeHeader(entry);
    if (entry.type !== "file") return;
    if (pending.content) {
      queuedBytes -= entry.size;
      yield await pending.content;
    } else {
      yield* streamFile(entry);
    }
    yield padding(entry.size);
  }
  for await (const entry of walkTree(dir, options)) {
    const pending = { entry };
    if (entry.type === "file") {
      files++;
      countFile();
      if (entry.size <= WHOLE_READ_LIMIT) {
        pending.content = readWhole(entry);
        pending.content.catch(() => void 0);
        queuedBytes += entry.size;
      }
    }
    queue.push(pending);
    while (queue.length > READ_AHEAD_FILES || queuedBytes > READ_AHEAD_BYTES) {
      yield* emit(queue.shift());
    }
  }
  while (queue.length > 0) yield* emit(queue.shift());
  if (files === 0) {
    throw new BuildError(`${dir} holds no files once ignore rules are applied`, {
      hint: "check the path, ignore-paths and any .sourceignore in it: an empty artifact would make Flux delete everything it deployed from it"
    });
  }
  yield END_OF_ARCHIVE;
}
function readWhole(entry) {
  return new Promise((resolve4, reject) => {
    fs.open(entry.sourcePath, "r", (openError, fd) => {
      if (openError) return reject(unreadable(entry, openError));
      const buffer = Buffer.allocUnsafe(entry.size);
      const finish = (error) => fs.close(fd, () => error ? reject(error) : resolve4(buffer));
      const readFrom = (offset) => {
        if (offset === entry.size) return finish(void 0);
        fs.read(fd, buffer, offset, entry.size - offset, offset, (readError, bytesRead) => {
          if (readError) return finish(unreadable(entry, readError));
          if (bytesRead === 0) return finish(changed(entry));
          readFrom(offset + bytesRead);
        });
      };
      readFrom(0);
    });
  });
}
async function* streamFile(entry) {
  let read = 0;
  try {
    const stream = createReadStream(entry.sourcePath, { highWaterMark: 1024 * 1024 });
    for await (const chunk of stream) {
      const room = entry.size - read;
      read += chunk.length;
      if (read > entry.size) {
        stream.destroy();
        break;
      }
      yield room >= chunk.length ? chunk : chunk.subarray(0, room);
    }
  } catch (cause) {
    throw unreadable(entry, cause);
  }
  if (read !== entry.size) throw changed(entry);
}
function unreadable(entry, cause) {
  return new BuildError(`cannot read ${entry.sourcePath}`, {
    hint: "make the file readable by the user running fleetpack, or add it to ignore-paths",
    cause
  });
}
function changed(entry) {
  return new BuildError(`${entry.sourcePath} changed while it was being archived`, {
    hint: "do not modify the directory while fleetpack runs, then run again"
  });
}
function sha256(hash) {
  return `sha256:${hash.digest("hex")}`;
}

// src/artifact/manifest.ts
import { createHash as createHash2 } from "node:crypto";
var OCI_MANIFEST_MEDIA_TYPE = "application/vnd.oci.image.manifest.v1+json";
var FLUX_CONFIG_MEDIA_TYPE = "application/vnd.cncf.flux.config.v1+json";
var FLUX_CONTENT_MEDIA_TYPE = "application/vnd.cncf.flux.content.v1.tar+gzip";
var ANNOTATION_CREATED = "org.opencontainers.image.created";
var ANNOTATION_SOURCE = "org.opencontainers.image.source";
var ANNOTATION_REVISION = "org.opencontainers.image.revision";
function fluxConfig(layer, created) {
  const json = {
    architecture: "",
    created,
    history: [{ created }],
    os: "",
    rootfs: { type: "layers", diff_ids: [layer.diffId] },
    config: {}
  };
  return content(FLUX_CONFIG_MEDIA_TYPE, Buffer.from(JSON.stringify(json)));
}
function fluxManifest(config, layer, annotations) {
  const json = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST_MEDIA_TYPE,
    config: { mediaType: config.mediaType, size: config.size, digest: config.digest },
    layers: [{ mediaType: FLUX_CONTENT_MEDIA_TYPE, size: layer.size, digest: layer.digest }],
    annotations
  };
  return content(OCI_MANIFEST_MEDIA_TYPE, Buffer.from(JSON.stringify(json)));
}
function artifactAnnotations(metadata) {
  const merged = { [ANNOTATION_CREATED]: metadata.created };
  if (metadata.source) merged[ANNOTATION_SOURCE] = metadata.source;
  if (metadata.revision) merged[ANNOTATION_REVISION] = metadata.revision;
  Object.assign(merged, metadata.annotations ?? {});
  const created = merged[ANNOTATION_CREATED];
  if (created !== void 0 && !RFC3339.test(created)) {
    throw new InputError(`annotation ${ANNOTATION_CREATED}=${created} is not an RFC 3339 time`, {
      hint: "write it like 2026-01-31T12:00:00Z (Flux rejects other formats)"
    });
  }
  return Object.fromEntries(
    Object.keys(merged).sort().map((key) => [key, merged[key] ?? ""])
  );
}
var RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
function content(mediaType, bytes) {
  return {
    bytes,
    descriptor: {
      mediaType,
      size: bytes.length,
      digest: `sha256:${createHash2("sha256").update(bytes).digest("hex")}`
    }
  };
}
function formatCreated(date) {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

// src/artifact/index.ts
async function buildArtifact(dir, options) {
  const annotations = artifactAnnotations(options.metadata);
  const outputPath = options.outputPath ?? join2(options.workDir ?? ".", `layer-${process.hrtime.bigint()}.tar.gz`);
  const layer = await buildLayer(dir, {
    repositoryRoot: options.repositoryRoot,
    ignorePatterns: options.ignorePatterns ?? [],
    outputPath
  });
  const config = fluxConfig(layer, annotations[ANNOTATION_CREATED] ?? options.metadata.created);
  const manifest = fluxManifest(config.descriptor, layer, annotations);
  return { layer, config, manifest, annotations };
}

// src/context.ts
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join as join3, relative as relative2, isAbsolute as isAbsolute2, resolve } from "node:path";
import { promisify as promisify2 } from "node:util";
var run = promisify2(execFile);
var gitAnswers = /* @__PURE__ */ new Map();
function git(dir, ...args) {
  const key = `${repositoryRootFor(dir, {})}\0${args.join("\0")}`;
  let answer = gitAnswers.get(key);
  if (!answer) {
    answer = run("git", ["-C", dir, ...args], { timeout: 1e4 }).then(
      ({ stdout }) => stdout.trim() || void 0,
      () => void 0
    );
    gitAnswers.set(key, answer);
  }
  return answer;
}
function repositoryRootFor(dir, env = process.env) {
  const absolute = resolve(dir);
  const workspace = env.GITHUB_WORKSPACE;
  if (workspace && isWithin(resolve(workspace), absolute)) return resolve(workspace);
  for (let current = absolute; ; current = dirname(current)) {
    if (existsSync(join3(current, ".git"))) return current;
    if (dirname(current) === current) return absolute;
  }
}
function isWithin(root, candidate) {
  const rel = relative2(root, candidate);
  return !rel.startsWith("..") && !isAbsolute2(rel);
}
async function createdTimeFor(dir, env = process.env) {
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch !== void 0 && epoch !== "") {
    if (!/^\d+$/.test(epoch)) {
      throw new InputError(`SOURCE_DATE_EPOCH=${epoch} is not a number of seconds`, {
        hint: "set it to a Unix time such as $(git log -1 --format=%ct), or unset it"
      });
    }
    return formatCreated(new Date(Number(epoch) * 1e3));
  }
  const commitTime = await git(dir, "log", "-1", "--format=%ct", "HEAD");
  if (commitTime && /^\d+$/.test(commitTime))
    return formatCreated(new Date(Number(commitTime) * 1e3));
  return formatCreated(/* @__PURE__ */ new Date());
}
async function defaultSource(dir, env = process.env) {
  if (env.GITHUB_REPOSITORY) {
    return `${env.GITHUB_SERVER_URL ?? "https://github.com"}/${env.GITHUB_REPOSITORY}`;
  }
  const remote = await git(dir, "remote", "get-url", "origin");
  return remote ? normaliseRemoteUrl(remote) : void 0;
}
function normaliseRemoteUrl(remote) {
  const scp = /^[\w.-]+@([^:/]+):(.+)$/.exec(remote);
  let url = scp ? `https://${scp[1]}/${scp[2]}` : remote;
  url = url.replace(/^(git|ssh):\/\/([^@/]+@)?/, "https://");
  try {
    const parsed = new URL(url);
    parsed.username = "";
    parsed.password = "";
    url = parsed.toString();
  } catch {
    return url.replace(/\/\/[^@/]+@/, "//");
  }
  return url.replace(/\.git$/, "").replace(/\/$/, "");
}
async function defaultRevision(dir, env = process.env) {
  if (env.GITHUB_SHA && env.GITHUB_REF_NAME) return `${env.GITHUB_REF_NAME}@sha1:${env.GITHUB_SHA}`;
  const sha = await git(dir, "rev-parse", "HEAD");
  if (!sha) return void 0;
  const branch = await git(dir, "rev-parse", "--abbrev-ref", "HEAD");
  return `${branch && branch !== "HEAD" ? branch : "HEAD"}@sha1:${sha}`;
}

// src/inputs.ts
function parseAnnotations(lines, inputName) {
  const annotations = {};
  for (const line of lines) {
    const eq = line.indexOf("=");
    const key = eq < 0 ? "" : line.slice(0, eq).trim();
    if (eq < 0 || key === "") {
      throw new InputError(`${inputName}: "${line}" is not a key=value pair`, {
        hint: `write one annotation per line, e.g. org.opencontainers.image.description=My app`
      });
    }
    if (!/^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(key)) {
      throw new InputError(`${inputName}: "${key}" is not a valid annotation key`, {
        hint: 'use a reverse-DNS key such as org.example.team (letters, digits, ".", "-", "_", "/")'
      });
    }
    annotations[key] = line.slice(eq + 1).trim();
  }
  return annotations;
}
function parseConcurrency(value, inputName) {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) {
    throw new InputError(`${inputName}: "${value}" is not a number from 1 to 64`, {
      hint: "set how many components are published at once, e.g. 8"
    });
  }
  return n;
}

// src/components.ts
import * as fsp from "node:fs/promises";
import { basename, relative as relative3, resolve as resolve2 } from "node:path";

// src/oci/reference.ts
var COMPONENT = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/;
var TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
var HOST = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:]+\])(?::\d{1,5})?$/;
var DOCKER_HUB = "docker.io";
var DOCKER_HUB_API = "registry-1.docker.io";
function repositoryName(repository) {
  return `${repository.registry}/${repository.path}`;
}
function apiHost(registry) {
  return registry === DOCKER_HUB || registry === "index.docker.io" ? DOCKER_HUB_API : registry;
}
function parseRepository(value, input) {
  const text = value.trim();
  if (text === "") {
    throw new InputError(`${input} is empty`, {
      hint: "give a repository such as ghcr.io/org/apps/podinfo"
    });
  }
  if (/^[a-z]+:\/\//i.test(text)) {
    throw new InputError(`${input}: "${text}" has a URL scheme`, {
      hint: `drop the scheme: ${text.replace(/^[a-z]+:\/\//i, "")}`
    });
  }
  if (text.includes("@")) {
    throw new InputError(`${input}: "${text}" contains a digest`, {
      hint: "give the repository only; fleetpack computes the digest"
    });
  }
  const slash = text.indexOf("/");
  const first = slash < 0 ? text : text.slice(0, slash);
  const hasRegistry = slash >= 0 && (first.includes(".") || first.includes(":") || first === "localhost" || first.startsWith("["));
  const registry = hasRegistry ? first : DOCKER_HUB;
  let path = hasRegistry ? text.slice(slash + 1) : text;
  const lastSlash = path.lastIndexOf("/");
  const colon = path.indexOf(":", lastSlash + 1);
  if (colon >= 0) {
    throw new InputError(`${input}: "${text}" contains a tag (${path.slice(colon + 1)})`, {
      hint: `give the repository without a tag (${registry === DOCKER_HUB && !hasRegistry ? "" : `${registry}/`}${path.slice(0, colon)}) and list tags in "tags"`
    });
  }
  if (!HOST.test(registry)) {
    throw new InputError(`${input}: "${registry}" is not a valid registry host`, {
      hint: "write it as host or host:port, e.g. ghcr.io or localhost:5000"
    });
  }
  if (registry === DOCKER_HUB && !path.includes("/")) path = `library/${path}`;
  if (path !== path.toLowerCase()) {
    throw new InputError(
      `${input}: "${text}" has uppercase letters; OCI repository names must be lowercase`,
      {
        hint: `use ${hasRegistry ? `${registry}/` : ""}${path.toLowerCase()}`
      }
    );
  }
  const bad = path.split("/").find((part) => !COMPONENT.test(part));
  if (bad !== void 0) {
    throw new InputError(
      `${input}: "${bad === "" ? text : bad}" is not a valid repository path component`,
      {
        hint: 'use lowercase letters, digits and single separators (".", "_", "__", "-") between "/"'
      }
    );
  }
  if (repositoryName({ registry, path }).length > 255) {
    throw new InputError(`${input}: "${text}" is longer than 255 characters`, {
      hint: "use a shorter repository name"
    });
  }
  return { registry, path };
}
function validateTag(tag, input) {
  if (!TAG.test(tag)) {
    throw new InputError(`${input}: "${tag}" is not a valid tag`, {
      hint: 'tags are 1-128 characters of letters, digits, "_", "." and "-", not starting with "." or "-"'
    });
  }
  return tag;
}
function isInsecureRegistry(registry, insecureRegistries = []) {
  const host = registry.replace(/:\d+$/, "");
  if (host === "localhost" || host === "127.0.0.1" || host === "[::1]") return true;
  return insecureRegistries.includes(registry) || insecureRegistries.includes(host);
}

// src/components.ts
var NAME_PLACEHOLDER = "{name}";
async function resolveComponents(paths, repositoryTemplate, { cwd = process.cwd(), repositoryInput = "repository" } = {}) {
  if (paths.length === 0) {
    throw new InputError("paths is empty", {
      hint: "list the directories to publish, one per line, e.g. apps/podinfo"
    });
  }
  const directories = [];
  for (const path of paths) {
    if (/[*?[\]{}]/.test(path)) {
      const matches = [];
      for await (const entry of fsp.glob(path, { cwd, withFileTypes: true })) {
        if (entry.isDirectory())
          matches.push(relative3(resolve2(cwd), resolve2(cwd, entry.parentPath, entry.name)));
      }
      if (matches.length === 0) {
        throw new InputError(`paths: the glob "${path}" matches no directory`, {
          hint: "check the pattern; globs are relative to the working directory (the repository root on a runner)"
        });
      }
      directories.push(...matches.sort());
    } else {
      const info = await fsp.stat(resolve2(cwd, path)).catch(() => void 0);
      if (!info) {
        throw new InputError(`paths: "${path}" does not exist`, {
          hint: "paths are relative to the working directory (the repository root on a runner); check the spelling and that the checkout ran"
        });
      }
      if (!info.isDirectory()) {
        throw new InputError(`paths: "${path}" is a file, not a directory`, {
          hint: "list the directory that holds the manifests"
        });
      }
      directories.push(path.replace(/\/+$/, "") || ".");
    }
  }
  const unique2 = [...new Set(directories)];
  if (unique2.length > 1 && !repositoryTemplate.includes(NAME_PLACEHOLDER)) {
    throw new InputError(
      `${repositoryInput} "${repositoryTemplate}" has no {name} but paths list ${unique2.length} components`,
      {
        hint: `add {name} where each component's directory name goes, e.g. ${repositoryTemplate.replace(/\/+$/, "")}/{name}`
      }
    );
  }
  const seen = /* @__PURE__ */ new Map();
  return unique2.map((path) => {
    const name = basename(resolve2(cwd, path));
    const previous = seen.get(name);
    if (previous !== void 0) {
      throw new InputError(
        `paths: "${previous}" and "${path}" are both named "${name}" and would publish to the same repository`,
        {
          hint: "rename one directory, or publish them in separate steps with different repositories"
        }
      );
    }
    seen.set(name, path);
    const repository = parseRepository(
      repositoryTemplate.replaceAll(NAME_PLACEHOLDER, name),
      repositoryInput
    );
    return { name, path, repository };
  });
}
function validateTags(tags, input = "tags") {
  if (tags.length === 0)
    throw new InputError(`${input} is empty`, { hint: "give at least one tag, e.g. latest" });
  return [...new Set(tags.map((tag) => validateTag(tag, input)))];
}

// src/publish.ts
import { mkdtemp, rm as rm2 } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join as join6 } from "node:path";

// src/oci/credentials.ts
import { execFile as execFile2 } from "node:child_process";
import { readFile as readFile2 } from "node:fs/promises";
import { homedir } from "node:os";
import { join as join4 } from "node:path";
var DOCKER_HUB_KEY = "https://index.docker.io/v1/";
var HELPER_TIMEOUT_MS = 3e4;
async function resolveCredentials(registry, sources) {
  const mask = (secret) => {
    if (secret) sources.onSecret?.(secret);
  };
  if (sources.username || sources.password) {
    if (!sources.username || !sources.password) {
      throw new InputError("username and password must be given together", {
        hint: "set both inputs, or neither to use docker login credentials"
      });
    }
    mask(sources.password);
    return {
      credentials: { kind: "basic", username: sources.username, password: sources.password },
      source: "the username/password inputs"
    };
  }
  const fromConfig = await fromDockerConfig(registry, sources.env ?? process.env, mask);
  if (fromConfig) return fromConfig;
  if (registry === "ghcr.io" && sources.githubToken) {
    mask(sources.githubToken);
    return {
      credentials: {
        kind: "basic",
        username: sources.githubActor || "github-actions",
        password: sources.githubToken
      },
      source: "the github-token input (GITHUB_TOKEN)"
    };
  }
  return { credentials: void 0, source: "none (anonymous)" };
}
async function fromDockerConfig(registry, env, mask) {
  const dir = env.DOCKER_CONFIG || join4(env.HOME || homedir(), ".docker");
  const path = join4(dir, "config.json");
  let config;
  try {
    config = JSON.parse(await readFile2(path, "utf8"));
  } catch (error) {
    if (error.code === "ENOENT") return void 0;
    throw new InputError(`cannot read docker config ${path}: ${error.message}`, {
      hint: "fix or remove the file (docker login writes it)"
    });
  }
  const serverAddress = registry === DOCKER_HUB ? DOCKER_HUB_KEY : registry;
  const helper = Object.entries(config.credHelpers ?? {}).find(
    ([key]) => sameRegistry(key, registry)
  )?.[1];
  if (helper) return fromHelper(helper, serverAddress, env, mask);
  if (config.credsStore) {
    return fromHelper(config.credsStore, serverAddress, env, mask);
  }
  const entry = Object.entries(config.auths ?? {}).find(([key]) => sameRegistry(key, registry))?.[1];
  if (!entry) return void 0;
  const source = `docker config ${path}`;
  if (entry.registrytoken) {
    mask(entry.registrytoken);
    return { credentials: { kind: "registry-token", token: entry.registrytoken }, source };
  }
  if (entry.identitytoken) {
    mask(entry.identitytoken);
    return { credentials: { kind: "identity-token", token: entry.identitytoken }, source };
  }
  let username = entry.username;
  let password = entry.password;
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    username = decoded.slice(0, colon);
    password = decoded.slice(colon + 1);
  }
  if (!username || !password) return void 0;
  mask(password);
  mask(entry.auth);
  return { credentials: { kind: "basic", username, password }, source };
}
async function fromHelper(name, serverAddress, env, mask) {
  const program = `docker-credential-${name}`;
  const output = await new Promise(
    (resolve4, reject) => {
      const child = execFile2(
        program,
        ["get"],
        { env, timeout: HELPER_TIMEOUT_MS, maxBuffer: 1024 * 1024 },
        (error, stdout, stderr) => {
          if (error && error.code === "ENOENT") {
            reject(
              new InputError(
                `docker config names the credential helper "${name}", but ${program} is not on PATH`,
                {
                  hint: `install ${program}, or remove it from credHelpers/credsStore in the docker config`
                }
              )
            );
            return;
          }
          const code = error ? Number(error.code) || 1 : 0;
          resolve4({ code, stdout: String(stdout), stderr: String(stderr) });
        }
      );
      child.stdin?.on("error", () => void 0);
      child.stdin?.end(serverAddress);
    }
  );
  if (output.code !== 0) {
    if (/credentials not found/i.test(output.stdout + output.stderr))
      return { credentials: void 0, source: `${program} (no credentials stored)` };
    throw new InputError(
      `${program} get failed: ${(output.stderr || output.stdout).trim().slice(0, 300)}`,
      {
        hint: `check that ${program} works: echo ${serverAddress} | ${program} get`
      }
    );
  }
  let parsed;
  try {
    parsed = JSON.parse(output.stdout);
  } catch {
    throw new InputError(`${program} get printed something that is not JSON`, {
      hint: `check the helper: echo ${serverAddress} | ${program} get`
    });
  }
  mask(parsed.Secret);
  if (!parsed.Secret) return { credentials: void 0, source: `${program} (empty)` };
  if (parsed.Username === "<token>") {
    return { credentials: { kind: "identity-token", token: parsed.Secret }, source: program };
  }
  return {
    credentials: { kind: "basic", username: parsed.Username ?? "", password: parsed.Secret },
    source: program
  };
}
function sameRegistry(key, registry) {
  const host = key.replace(/^[a-z]+:\/\//i, "").replace(/\/.*$/, "");
  const hub = /* @__PURE__ */ new Set([DOCKER_HUB, "index.docker.io", "registry-1.docker.io"]);
  if (hub.has(registry)) return hub.has(host);
  return host === registry;
}

// src/oci/layout.ts
import { copyFile, mkdir, readFile as readFile3, rename as rename2, writeFile } from "node:fs/promises";
import { join as join5 } from "node:path";
var REF_NAME = "org.opencontainers.image.ref.name";
async function writeToLayout(dir, blobs, manifest, tags) {
  const blobDir = join5(dir, "blobs", "sha256");
  await mkdir(blobDir, { recursive: true });
  await writeFile(join5(dir, "oci-layout"), '{"imageLayoutVersion":"1.0.0"}');
  for (const blob of blobs) {
    const target = join5(blobDir, blob.descriptor.digest.slice("sha256:".length));
    if ("bytes" in blob.source) await writeFile(target, blob.source.bytes);
    else await copyFile(blob.source.file, target);
  }
  await writeFile(join5(blobDir, manifest.descriptor.digest.slice("sha256:".length)), manifest.bytes);
  const indexPath = join5(dir, "index.json");
  let index = {
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.index.v1+json",
    manifests: []
  };
  try {
    index = JSON.parse(await readFile3(indexPath, "utf8"));
  } catch {
  }
  index.manifests = index.manifests.filter(
    (entry) => !tags.includes(entry.annotations?.[REF_NAME] ?? "")
  );
  for (const tag of tags) {
    index.manifests.push({ ...manifest.descriptor, annotations: { [REF_NAME]: tag } });
  }
  await writeFile(`${indexPath}.tmp`, JSON.stringify(index));
  await rename2(`${indexPath}.tmp`, indexPath);
}

// src/oci/registry.ts
import { createReadStream as createReadStream2 } from "node:fs";
import { createHash as createHash3 } from "node:crypto";

// src/oci/errors.ts
var RegistryError = class extends FleetpackError {
  constructor(message, options = {}) {
    super(message, options);
    this.status = options.status;
    this.code = options.code;
  }
  status;
  code;
};
var RegistryAuthError = class extends RegistryError {
};

// src/oci/transport.ts
import { setTimeout as sleep } from "node:timers/promises";

// src/oci/challenge.ts
function parseChallenges(header) {
  const challenges = [];
  let i = 0;
  const skip = (pattern) => {
    while (i < header.length && pattern.test(header[i])) i++;
  };
  const token = () => {
    const start = i;
    skip(/[!#$%&'*+\-.^_`|~0-9A-Za-z]/);
    return header.slice(start, i);
  };
  while (i < header.length) {
    skip(/[\s,]/);
    const scheme = token();
    if (scheme === "") {
      i++;
      continue;
    }
    const challenge = { scheme: scheme.toLowerCase(), params: {} };
    challenges.push(challenge);
    for (; ; ) {
      skip(/[\s,]/);
      const mark = i;
      const name = token();
      skip(/\s/);
      if (name === "" || header[i] !== "=") {
        i = mark;
        break;
      }
      i++;
      skip(/\s/);
      let value = "";
      if (header[i] === '"') {
        i++;
        while (i < header.length && header[i] !== '"') {
          if (header[i] === "\\") i++;
          value += header[i] ?? "";
          i++;
        }
        i++;
      } else {
        value = token();
      }
      challenge.params[name.toLowerCase()] = value;
    }
  }
  return challenges;
}

// src/oci/http.ts
import http from "node:http";
import https from "node:https";
var agents = {
  "http:": new http.Agent({ keepAlive: true, maxSockets: 64 }),
  "https:": new https.Agent({ keepAlive: true, maxSockets: 64 })
};
var HttpResponse = class {
  constructor(status, rawHeaders, stream) {
    this.status = status;
    this.rawHeaders = rawHeaders;
    this.stream = stream;
  }
  status;
  rawHeaders;
  stream;
  get ok() {
    return this.status >= 200 && this.status < 300;
  }
  headers = {
    get: (name) => {
      const value = this.rawHeaders[name.toLowerCase()];
      if (value === void 0) return null;
      return Array.isArray(value) ? value.join(", ") : value;
    }
  };
  async bytes() {
    const chunks = [];
    for await (const chunk of this.stream) chunks.push(chunk);
    return Buffer.concat(chunks);
  }
  async text() {
    return (await this.bytes()).toString("utf8");
  }
  async json() {
    return JSON.parse(await this.text());
  }
  /** Drops the body so the connection can be reused. */
  async discard() {
    if (this.stream.readableEnded) return;
    this.stream.resume();
    await new Promise((resolve4) => {
      this.stream.once("end", resolve4);
      this.stream.once("close", resolve4);
      this.stream.once("error", () => resolve4());
    });
  }
};
function httpRequest(url, init) {
  const transport = url.protocol === "https:" ? https : http;
  const agent = agents[url.protocol];
  if (!agent) return Promise.reject(new TypeError(`unsupported protocol ${url.protocol}`));
  return new Promise((resolve4, reject) => {
    const request = transport.request(
      url,
      {
        method: init.method,
        headers: init.headers,
        agent,
        signal: AbortSignal.timeout(init.timeoutMs)
      },
      (response) => resolve4(new HttpResponse(response.statusCode ?? 0, response.headers, response))
    );
    request.on("error", reject);
    const body = init.body;
    if (body === void 0 || typeof body === "string" || Buffer.isBuffer(body)) {
      request.end(body);
    } else {
      body.on("error", (error) => request.destroy(error));
      body.pipe(request);
    }
  });
}

// src/oci/transport.ts
var DEFAULT_RETRY = {
  attempts: 5,
  baseDelayMs: 250,
  maxDelayMs: 8e3,
  maxRetryAfterMs: 6e4
};
var RETRYABLE = /* @__PURE__ */ new Set([408, 429, 500, 502, 503, 504]);
var MAX_REDIRECTS = 5;
var Transport = class {
  constructor(options) {
    this.options = options;
    this.origin = `${options.insecure ? "http" : "https"}://${apiHost(options.registry)}`;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.timeoutMs = options.timeoutMs ?? 6e4;
  }
  options;
  origin;
  retry;
  timeoutMs;
  scheme = "unknown";
  bearer;
  tokens = /* @__PURE__ */ new Map();
  get registry() {
    return this.options.registry;
  }
  async request(request) {
    const attempts = request.retry === false ? 1 : this.retry.attempts;
    for (let attempt = 1; ; attempt++) {
      let response;
      try {
        response = await this.authorised(request);
      } catch (error) {
        if (error instanceof RegistryError || attempt >= attempts)
          throw this.networkError(request, error);
        await this.backoff(attempt, void 0, request);
        continue;
      }
      if (!RETRYABLE.has(response.status) || attempt >= attempts)
        return this.check(request, response);
      const retryAfter = parseRetryAfter(response.headers.get("retry-after"));
      await discard(response);
      if (retryAfter !== void 0 && retryAfter > this.retry.maxRetryAfterMs) {
        throw new RegistryError(
          `${this.options.registry} asked to wait ${Math.round(retryAfter / 1e3)} s before the ${request.what} (HTTP ${response.status})`,
          {
            status: response.status,
            hint: "the registry is rate limiting this account; wait, or authenticate to get a higher limit, then run again"
          }
        );
      }
      await this.backoff(attempt, retryAfter, request, response.status);
    }
  }
  /** Sends a request, answering one authentication challenge if needed. */
  async authorised(request) {
    let response = await this.send(request, await this.authorization(request.scopes, false));
    if (response.status !== 401) return response;
    const header = response.headers.get("www-authenticate") ?? "";
    await discard(response);
    const challenges = parseChallenges(header);
    const bearer = challenges.find((c) => c.scheme === "bearer");
    const basic = challenges.find((c) => c.scheme === "basic");
    if (bearer?.params.error === "insufficient_scope" && this.scheme === "bearer") {
      throw this.authError(request, 401, "insufficient_scope");
    }
    if (bearer?.params.realm) {
      this.scheme = "bearer";
      this.bearer = { realm: bearer.params.realm, service: bearer.params.service };
      const hinted = bearer.params.scope;
      const scopes = request.scopes.length > 0 || !hinted ? request.scopes : hinted.split(" ");
      response = await this.send(request, await this.authorization(scopes, true));
    } else if (basic && this.options.credentials?.kind === "basic") {
      this.scheme = "basic";
      response = await this.send(request, await this.authorization(request.scopes, true));
    } else {
      throw this.authError(request, 401);
    }
    if (response.status === 401) {
      await discard(response);
      throw this.authError(request, 401);
    }
    return response;
  }
  async authorization(scopes, fresh) {
    const credentials = this.options.credentials;
    if (this.scheme === "basic" && credentials?.kind === "basic") {
      return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64")}`;
    }
    if (this.scheme !== "bearer" || !this.bearer) return void 0;
    if (credentials?.kind === "registry-token") return `Bearer ${credentials.token}`;
    const key = unique(scopes).sort().join(" ");
    const cached = this.tokens.get(key);
    if (cached && !fresh) {
      const token = await cached.catch(() => void 0);
      if (token && token.expiresAt > Date.now()) return `Bearer ${token.value}`;
    }
    const pending = this.fetchToken(unique(scopes));
    this.tokens.set(key, pending);
    pending.catch(() => this.tokens.delete(key));
    return `Bearer ${(await pending).value}`;
  }
  /** The distribution token flow: GET with Basic credentials, or OAuth2 POST for refresh tokens. */
  async fetchToken(scopes) {
    const { realm, service } = this.bearer;
    const realmUrl = new URL(realm);
    if (realmUrl.protocol !== "https:" && !this.options.insecure) {
      throw new RegistryAuthError(
        `${this.options.registry} sent its token realm over plain HTTP (${realm})`,
        {
          hint: "refusing to send credentials in clear text; if this is a private test registry, list it in insecure-registries"
        }
      );
    }
    this.options.debug?.(`token for ${scopes.join(" ") || "(no scope)"} from ${realmUrl.host}`);
    const credentials = this.options.credentials;
    let response;
    if (credentials?.kind === "identity-token") {
      const form = new URLSearchParams({
        grant_type: "refresh_token",
        refresh_token: credentials.token,
        client_id: "fleetpack"
      });
      if (service) form.set("service", service);
      if (scopes.length > 0) form.set("scope", scopes.join(" "));
      response = await this.tokenRequest(realmUrl, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: form.toString()
      });
      if (response.status === 404 || response.status === 405) {
        await discard(response);
        response = void 0;
      }
    }
    if (!response) {
      const url = new URL(realmUrl);
      if (service) url.searchParams.set("service", service);
      for (const scope of scopes) url.searchParams.append("scope", scope);
      const headers = {};
      if (credentials?.kind === "basic") {
        headers.authorization = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64")}`;
        url.searchParams.set("account", credentials.username);
      }
      response = await this.tokenRequest(url, { method: "GET", headers });
    }
    if (response.status === 401 || response.status === 403) {
      await discard(response);
      throw new RegistryAuthError(
        `${this.options.registry} refused the credentials (HTTP ${response.status} from ${realmUrl.host})`,
        {
          status: response.status,
          hint: credentialsHint(this.options.registry)
        }
      );
    }
    if (!response.ok) {
      const text = await response.text().catch(() => "");
      throw new RegistryError(
        `the token server ${realmUrl.host} answered HTTP ${response.status}: ${text.slice(0, 200)}`,
        {
          status: response.status,
          hint: "the registry may be having trouble; run again later"
        }
      );
    }
    const body = await response.json();
    const value = body.access_token || body.token;
    if (!value) throw new RegistryError(`the token server ${realmUrl.host} sent no token`);
    this.options.onSecret?.(value);
    const lifetime = Math.max(60, Number(body.expires_in) || 60);
    return { value, expiresAt: Date.now() + (lifetime - 10) * 1e3 };
  }
  async tokenRequest(url, init) {
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await this.tokenExchange(url, init);
        this.options.onRequest?.(init.method, url, response.status);
        if (!RETRYABLE.has(response.status) || attempt >= this.retry.attempts) return response;
        const retryAfter = parseRetryAfter(response.headers.get("retry-after"));
        await discard(response);
        await this.backoff(
          attempt,
          retryAfter,
          { what: "token request", method: "GET" },
          response.status
        );
      } catch (error) {
        this.options.onRequest?.(init.method, url, "error");
        if (attempt >= this.retry.attempts) {
          throw new RegistryError(
            `cannot reach the token server ${url.host}: ${describeCause(error)}`,
            { cause: error }
          );
        }
        await this.backoff(attempt, void 0, { what: "token request", method: "GET" });
      }
    }
  }
  /** A token request, following GET redirects without carrying credentials to another origin. */
  async tokenExchange(url, init) {
    let current = url;
    for (let hop = 0; ; hop++) {
      const headers = {
        "user-agent": this.options.userAgent ?? "fleetpack",
        ...init.headers
      };
      if (current.origin !== url.origin) delete headers.authorization;
      const response = await httpRequest(current, {
        method: init.method,
        headers,
        body: init.body,
        timeoutMs: this.timeoutMs
      });
      const location = response.headers.get("location");
      if (init.method !== "GET" || !location || ![301, 302, 303, 307, 308].includes(response.status) || hop >= MAX_REDIRECTS) {
        return response;
      }
      await discard(response);
      current = new URL(location, current);
    }
  }
  /** One HTTP exchange, following redirects by hand so credentials stay on their origin. */
  async send(request, authorization) {
    let url = typeof request.url === "string" && request.url.startsWith("/") ? new URL(request.url, this.origin) : new URL(request.url);
    let method = request.method;
    for (let hop = 0; ; hop++) {
      const sameOrigin = url.origin === this.origin;
      const headers = {
        "user-agent": this.options.userAgent ?? "fleetpack",
        ...request.headers
      };
      if (authorization && sameOrigin) headers.authorization = authorization;
      const body = method === "GET" || method === "HEAD" ? void 0 : request.body?.();
      let response;
      try {
        response = await httpRequest(url, {
          method,
          headers,
          body,
          timeoutMs: request.timeoutMs ?? this.timeoutMs
        });
      } catch (error) {
        this.options.onRequest?.(method, url, "error");
        throw error;
      }
      this.options.onRequest?.(method, url, response.status);
      const location = response.headers.get("location");
      if (![301, 302, 303, 307, 308].includes(response.status) || !location || hop >= MAX_REDIRECTS)
        return response;
      if (method !== "GET" && method !== "HEAD" || request.followRedirects === false)
        return response;
      await discard(response);
      url = new URL(location, url);
      if (response.status === 303) method = "GET";
    }
  }
  async check(request, response) {
    if (response.ok || request.accept?.includes(response.status)) return response;
    const text = await response.text().catch(() => "");
    const { code, message } = registryErrorBody(text);
    if (response.status === 403) throw this.authError(request, 403, code, message);
    if (response.status === 401) throw this.authError(request, 401, code, message);
    throw new RegistryError(
      `${this.options.registry} refused the ${request.what}: HTTP ${response.status}${code ? ` ${code}` : ""}${message ? `: ${message}` : ""}`,
      {
        status: response.status,
        code,
        hint: statusHint(response.status, code, this.options.registry)
      }
    );
  }
  authError(request, status, code, message) {
    const anonymous = !this.options.credentials;
    return new RegistryAuthError(
      `${this.options.registry} denied the ${request.what} (HTTP ${status}${code ? ` ${code}` : ""}${message ? `: ${message}` : ""})${anonymous ? " without credentials" : ""}`,
      {
        status,
        code,
        hint: status === 403 || code === "insufficient_scope" || code === "DENIED" ? permissionHint(this.options.registry) : credentialsHint(this.options.registry)
      }
    );
  }
  networkError(request, error) {
    if (error instanceof RegistryError) return error;
    const name = error?.name;
    const timeout = name === "TimeoutError" || name === "AbortError";
    return new RegistryError(
      `${timeout ? "timed out during" : "network error during"} the ${request.what} at ${this.options.registry}: ${describeCause(error)}`,
      {
        cause: error,
        hint: timeout ? "the registry did not answer in time; check its status and run again" : `check that ${this.options.registry} is reachable from the runner${this.options.insecure ? "" : " over HTTPS (plain HTTP needs insecure-registries)"}`
      }
    );
  }
  async backoff(attempt, retryAfterMs, request, status) {
    const exponential = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
    const jittered = exponential * (0.8 + Math.random() * 0.4);
    const delay = Math.max(jittered, retryAfterMs ?? 0);
    this.options.debug?.(
      `retrying the ${request.what} in ${Math.round(delay)} ms (${status ?? "network error"}, attempt ${attempt})`
    );
    await sleep(delay);
  }
};
function parseRetryAfter(value) {
  if (!value) return void 0;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1e3;
  const date = Date.parse(value);
  return Number.isNaN(date) ? void 0 : Math.max(0, date - Date.now());
}
function registryErrorBody(text) {
  try {
    const parsed = JSON.parse(text);
    const first = parsed.errors?.[0];
    if (first) return { code: first.code, message: first.message };
  } catch {
  }
  const trimmed = text.trim().slice(0, 200);
  return trimmed ? { message: trimmed } : {};
}
function statusHint(status, code, registry) {
  if (code === "NAME_UNKNOWN" || status === 404 && code === void 0) {
    return `the repository does not exist on ${registry} or is not visible to these credentials; some registries (ECR, Harbor projects) need it created first`;
  }
  if (code === "MANIFEST_INVALID" || code === "MANIFEST_BLOB_UNKNOWN")
    return "this looks like a fleetpack bug or a registry that rejects Flux media types; please report it";
  if (status === 413) return "the registry limits request sizes; reduce the component size";
  if (status >= 500) return "the registry had an internal error; run again later";
  return void 0;
}
function credentialsHint(registry) {
  return registry === "ghcr.io" ? 'for ghcr.io, pass a token with write:packages (the job needs "permissions: packages: write" for GITHUB_TOKEN), or log in with docker/login-action' : `give credentials for ${registry} with the username/password inputs or docker login (docker/login-action)`;
}
function permissionHint(registry) {
  return registry === "ghcr.io" ? 'the token may read but not write: add "permissions: packages: write" to the job, and if the package already exists, grant this repository Actions access in the package settings' : `the credentials are valid but may not push to this repository on ${registry}; grant push access`;
}
function describeCause(error) {
  const message = (value) => typeof value === "object" && value !== null && "message" in value ? String(value.message) : void 0;
  const own = message(error) ?? String(error);
  const cause = message(error?.cause);
  return cause ? `${own} (${cause})` : own;
}
function unique(values) {
  return [...new Set(values)];
}
async function discard(response) {
  await response.discard();
}

// src/oci/registry.ts
var MANIFEST_ACCEPT = [
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.docker.distribution.manifest.v2+json",
  "application/vnd.docker.distribution.manifest.list.v2+json"
].join(", ");
var RepositoryClient = class {
  constructor(transport, path, uploadAttempts = 3) {
    this.transport = transport;
    this.path = path;
    this.uploadAttempts = uploadAttempts;
    this.pullPush = [`repository:${path}:push,pull`];
    this.pull = [`repository:${path}:pull`];
  }
  transport;
  path;
  uploadAttempts;
  pullPush;
  pull;
  async blobExists(digest) {
    const response = await this.transport.request({
      method: "HEAD",
      url: `/v2/${this.path}/blobs/${digest}`,
      scopes: this.pullPush,
      accept: [404],
      what: `check for blob ${digest}`
    });
    await discard(response);
    return response.status !== 404;
  }
  /**
   * Uploads a blob unless the repository has it: HEAD, then POST + PUT (the
   * monolithic upload every registry supports), or a cross-repository mount
   * when `mountFrom` is a repository of the same registry that holds it.
   * Returns true when bytes were sent. A failed upload restarts from POST.
   * `checkExisting: false` skips the HEAD when the caller knows the
   * repository is new (re-sending an existing blob is harmless).
   */
  async pushBlob(descriptor, source, {
    mountFrom,
    checkExisting = true
  } = {}) {
    if (checkExisting && await this.blobExists(descriptor.digest)) return false;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.uploadOnce(descriptor, source, mountFrom);
      } catch (error) {
        const retryable = !(error instanceof RegistryError) || error.status === void 0 || error.status >= 500 || error.status === 408 || error.status === 429;
        if (!retryable || attempt >= this.uploadAttempts) throw error;
      }
    }
  }
  async uploadOnce(descriptor, source, mountFrom) {
    const query = mountFrom ? `?mount=${encodeURIComponent(descriptor.digest)}&from=${encodeURIComponent(mountFrom)}` : "";
    const started = await this.transport.request({
      method: "POST",
      url: `/v2/${this.path}/blobs/uploads/${query}`,
      headers: { "content-length": "0" },
      body: () => Buffer.alloc(0),
      scopes: mountFrom ? [...this.pullPush, `repository:${mountFrom}:pull`] : this.pullPush,
      what: `upload of ${descriptor.digest}`
    });
    await discard(started);
    if (started.status === 201) return false;
    const location = started.headers.get("location");
    if (started.status !== 202 || !location) {
      throw new RegistryError(
        `${this.transport.registry} answered the upload start with HTTP ${started.status} and no Location`
      );
    }
    const base = new URL(`/v2/${this.path}/blobs/uploads/`, this.transport.origin);
    const uploadUrl = new URL(location, base).toString();
    const target = `${uploadUrl}${uploadUrl.includes("?") ? "&" : "?"}digest=${encodeURIComponent(descriptor.digest)}`;
    const finished2 = await this.transport.request({
      method: "PUT",
      url: target,
      headers: {
        "content-type": "application/octet-stream",
        "content-length": String(descriptor.size)
      },
      body: () => "bytes" in source ? source.bytes : createReadStream2(source.file),
      scopes: this.pullPush,
      retry: false,
      timeoutMs: 6e4 + Math.ceil(descriptor.size / 1024),
      // at least 1 MB/s
      what: `upload of ${descriptor.digest}`
    });
    await discard(finished2);
    const stored = finished2.headers.get("docker-content-digest");
    if (stored && stored !== descriptor.digest) {
      throw new RegistryError(
        `${this.transport.registry} stored blob ${descriptor.digest} as ${stored}`
      );
    }
    return true;
  }
  /** PUTs a manifest by digest or tag; checks the digest the registry computed. */
  async putManifest(reference, manifest) {
    const response = await this.transport.request({
      method: "PUT",
      url: `/v2/${this.path}/manifests/${reference}`,
      headers: { "content-type": manifest.descriptor.mediaType },
      body: () => manifest.bytes,
      scopes: this.pullPush,
      what: reference.startsWith("sha256:") ? `manifest upload ${reference}` : `tag ${reference}`
    });
    await discard(response);
    const stored = response.headers.get("docker-content-digest");
    if (stored && stored !== manifest.descriptor.digest) {
      throw new RegistryError(
        `${this.transport.registry} stored the manifest as ${stored}, not ${manifest.descriptor.digest}`,
        { hint: "the registry rewrote the manifest; Flux verification would fail on it" }
      );
    }
  }
  /** The manifest at a tag or digest, or undefined when there is none. */
  async getManifest(reference) {
    const response = await this.transport.request({
      method: "GET",
      url: `/v2/${this.path}/manifests/${reference}`,
      headers: { accept: MANIFEST_ACCEPT },
      scopes: this.pullPush,
      accept: [404],
      what: `read of manifest ${reference}`
    });
    if (response.status === 404) {
      await discard(response);
      return void 0;
    }
    const bytes = await response.bytes();
    const digest = `sha256:${createHash3("sha256").update(bytes).digest("hex")}`;
    if (reference.startsWith("sha256:") && digest !== reference) {
      throw new RegistryError(
        `${this.transport.registry} returned a manifest whose digest is ${digest}, not ${reference}`
      );
    }
    const mediaType = response.headers.get("content-type")?.split(";")[0]?.trim() || (JSON.parse(bytes.toString()).mediaType ?? "");
    return { digest, mediaType, bytes };
  }
  /** The digest a tag points at, or undefined. */
  async headManifest(reference) {
    const response = await this.transport.request({
      method: "HEAD",
      url: `/v2/${this.path}/manifests/${reference}`,
      headers: { accept: MANIFEST_ACCEPT },
      scopes: this.pullPush,
      accept: [404],
      what: `check of manifest ${reference}`
    });
    await discard(response);
    if (response.status === 404) return void 0;
    return response.headers.get("docker-content-digest") ?? (await this.getManifest(reference))?.digest;
  }
  async getBlob(digest, maxBytes = 4 * 1024 * 1024) {
    const response = await this.transport.request({
      method: "GET",
      url: `/v2/${this.path}/blobs/${digest}`,
      scopes: this.pullPush,
      what: `read of blob ${digest}`
    });
    const length = Number(response.headers.get("content-length") ?? 0);
    if (length > maxBytes) {
      await discard(response);
      throw new RegistryError(
        `blob ${digest} is ${length} bytes, more than the ${maxBytes} expected`
      );
    }
    const bytes = await response.bytes();
    const actual = `sha256:${createHash3("sha256").update(bytes).digest("hex")}`;
    if (actual !== digest)
      throw new RegistryError(
        `${this.transport.registry} returned blob ${digest} with content ${actual}`
      );
    return bytes;
  }
  /**
   * Whether the registry really serves the OCI 1.1 referrers API: a 200 with
   * an image index for a digest nobody refers to. GHCR answers 303 to
   * github.com, distribution 2.8 a plain-text 404, and some registries echo
   * OCI-Subject without the API, so only this probe is trusted.
   */
  async supportsReferrersApi() {
    const response = await this.transport.request({
      method: "GET",
      url: `/v2/${this.path}/referrers/sha256:${"0".repeat(64)}`,
      headers: { accept: "application/vnd.oci.image.index.v1+json" },
      scopes: this.pull,
      accept: [301, 302, 303, 307, 308, 400, 404, 405],
      followRedirects: false,
      what: "referrers API probe"
    });
    const type = response.headers.get("content-type")?.split(";")[0]?.trim();
    if (response.status !== 200 || type !== "application/vnd.oci.image.index.v1+json") {
      await discard(response);
      return false;
    }
    const body = await response.json().catch(() => ({}));
    return Array.isArray(body.manifests);
  }
};

// src/publish.ts
var PublishError = class extends FleetpackError {
  constructor(failures, results, total) {
    super(
      `${failures.length} of ${total} components failed:
` + failures.map(
        (f) => `  ${f.component} (${f.path}): ${describeError(f.error).replace(/\n/g, "\n    ")}`
      ).join("\n")
    );
    this.failures = failures;
    this.results = results;
  }
  failures;
  results;
};
async function publish(inputs, log, stats) {
  const cwd = inputs.cwd ?? process.cwd();
  const components = await resolveComponents(inputs.paths, inputs.repository, { cwd });
  const workDir = await mkdtemp(join6(inputs.workDir ?? tmpdir(), "fleetpack-"));
  const registries = new RegistryPool(inputs, log, stats);
  const results = [];
  const failures = [];
  let done = 0;
  log.info(
    `publishing ${components.length} component${components.length === 1 ? "" : "s"} with concurrency ${inputs.concurrency}`
  );
  try {
    await forEachLimited(components, inputs.concurrency, async (component, index) => {
      const lines = [];
      const note = (line) => lines.push(line);
      try {
        const result2 = await publishComponent(
          component,
          inputs,
          registries,
          workDir,
          cwd,
          note,
          index
        );
        results.push(result2);
        done++;
        log.info(
          `[${done}/${components.length}] ${component.name}: ${result2.pushed ? "pushed" : "unchanged"} ${result2.digest}`
        );
      } catch (error) {
        failures.push({ component: component.name, path: component.path, error });
        done++;
        note(`error: ${describeError(error)}`);
        log.info(`[${done}/${components.length}] ${component.name}: failed`);
      } finally {
        log.group(`${component.name} (${component.path})`, lines);
      }
    });
  } finally {
    await rm2(workDir, { recursive: true, force: true });
  }
  const ordered = components.flatMap((c) => results.filter((r) => r.component === c.name));
  if (failures.length > 0) throw new PublishError(failures, ordered, components.length);
  return ordered;
}
async function publishComponent(component, inputs, registries, workDir, cwd, note, index) {
  const dir = join6(cwd, component.path);
  const repository = repositoryName(component.repository);
  note(`repository ${repository}`);
  const repositoryRoot = repositoryRootFor(dir);
  const client = inputs.ociLayout ? void 0 : await registries.client(component);
  let remote;
  if (client && inputs.diffTag) {
    remote = await client.getManifest(inputs.diffTag);
    const remoteDiffId = remote && await fluxDiffId(client, remote);
    if (remote && remoteDiffId) {
      const local = await hashTree(dir, { repositoryRoot, ignorePatterns: inputs.ignorePaths });
      if (local.diffId === remoteDiffId) {
        note(
          `${inputs.diffTag} already holds this content (${remote.digest}, diffID ${local.diffId}); nothing to upload`
        );
        const manifest2 = asContent(remote);
        await applyTags(
          client,
          manifest2,
          inputs.tags.filter((tag) => tag !== inputs.diffTag),
          note
        );
        return result(component, remote.digest, inputs.tags, false);
      }
      note(`${inputs.diffTag} holds other content (diffID ${remoteDiffId}); publishing`);
    }
  }
  const artifact = await buildArtifact(dir, {
    repositoryRoot,
    ignorePatterns: inputs.ignorePaths,
    outputPath: join6(workDir, `${index}-${component.name}.tar.gz`),
    metadata: {
      created: await createdTimeFor(dir),
      source: inputs.source ?? await defaultSource(dir),
      revision: inputs.revision ?? await defaultRevision(dir),
      annotations: inputs.annotations
    }
  });
  note(
    `built ${artifact.layer.files} files, layer ${artifact.layer.digest} (${artifact.layer.size} bytes), diffID ${artifact.layer.diffId}`
  );
  const blobs = [
    {
      descriptor: {
        mediaType: FLUX_CONTENT_MEDIA_TYPE,
        size: artifact.layer.size,
        digest: artifact.layer.digest
      },
      source: { file: artifact.layer.path }
    },
    { descriptor: artifact.config.descriptor, source: { bytes: artifact.config.bytes } }
  ];
  if (!client) {
    const layoutDir = join6(inputs.ociLayout ?? ".", component.name);
    await writeToLayout(layoutDir, blobs, artifact.manifest, inputs.tags);
    note(`wrote OCI layout ${layoutDir} with tags ${inputs.tags.join(", ")}`);
    return result(component, artifact.manifest.descriptor.digest, inputs.tags, true);
  }
  const manifest = artifact.manifest;
  const checkExisting = !inputs.diffTag || remote !== void 0;
  await Promise.all(
    blobs.map(async (blob) => {
      const mountFrom = registries.knownLocation(component, blob.descriptor.digest);
      const sent = await client.pushBlob(blob.descriptor, blob.source, {
        mountFrom,
        checkExisting
      });
      registries.remember(component, blob.descriptor.digest);
      if (sent) registries.countUpload(blob.descriptor.size);
      note(
        `${sent ? "uploaded" : "already present"}: ${blob.descriptor.digest} (${blob.descriptor.size} bytes)`
      );
    })
  );
  await client.putManifest(manifest.descriptor.digest, manifest);
  note(`manifest ${manifest.descriptor.digest}`);
  await applyTags(client, manifest, inputs.tags, note);
  return result(component, manifest.descriptor.digest, inputs.tags, true);
}
async function applyTags(client, manifest, tags, note) {
  await Promise.all(
    tags.map(async (tag) => {
      await client.putManifest(tag, manifest);
      note(`tagged ${tag}`);
    })
  );
}
function result(component, digest, tags, pushed) {
  const repository = repositoryName(component.repository);
  return {
    component: component.name,
    path: component.path,
    repository,
    digest,
    url: `oci://${repository}@${digest}`,
    tags: [...tags],
    pushed
  };
}
function asContent(remote) {
  return {
    bytes: remote.bytes,
    descriptor: { mediaType: remote.mediaType, size: remote.bytes.length, digest: remote.digest }
  };
}
async function fluxDiffId(client, remote) {
  let parsed;
  try {
    parsed = JSON.parse(remote.bytes.toString());
  } catch {
    return void 0;
  }
  if (parsed.config?.mediaType !== FLUX_CONFIG_MEDIA_TYPE || !parsed.config.digest) return void 0;
  try {
    const config = JSON.parse((await client.getBlob(parsed.config.digest)).toString());
    const diffId = config.rootfs?.diff_ids?.[0];
    return typeof diffId === "string" ? diffId : void 0;
  } catch {
    return void 0;
  }
}
var RegistryPool = class {
  constructor(inputs, log, stats) {
    this.inputs = inputs;
    this.log = log;
    this.stats = stats;
  }
  inputs;
  log;
  stats;
  transports = /* @__PURE__ */ new Map();
  blobHomes = /* @__PURE__ */ new Map();
  async client(component) {
    const registry = component.repository.registry;
    let transport = this.transports.get(registry);
    if (!transport) {
      transport = this.createTransport(registry);
      this.transports.set(registry, transport);
    }
    return new RepositoryClient(await transport, component.repository.path);
  }
  async createTransport(registry) {
    const { credentials, source } = await resolveCredentials(registry, {
      username: this.inputs.username,
      password: this.inputs.password,
      githubActor: this.inputs.githubActor,
      githubToken: this.inputs.githubToken,
      onSecret: (secret) => this.log.secret(secret)
    });
    this.log.info(`${registry}: credentials from ${source}`);
    return new Transport({
      registry,
      insecure: isInsecureRegistry(registry, this.inputs.insecureRegistries),
      credentials,
      userAgent: "fleetpack",
      onSecret: (secret) => this.log.secret(secret),
      onRequest: () => {
        if (this.stats) this.stats.requests++;
      },
      debug: (message) => this.log.debug(`${registry}: ${message}`)
    });
  }
  /** Another repository of the same registry that holds `digest`, to mount from. */
  knownLocation(component, digest) {
    const home = this.blobHomes.get(`${component.repository.registry}|${digest}`);
    return home && home !== component.repository.path ? home : void 0;
  }
  remember(component, digest) {
    const key = `${component.repository.registry}|${digest}`;
    if (!this.blobHomes.has(key)) this.blobHomes.set(key, component.repository.path);
  }
  countUpload(bytes) {
    if (!this.stats) return;
    this.stats.blobsUploaded++;
    this.stats.bytesUploaded += bytes;
  }
};
async function forEachLimited(items, limit, fn) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      await fn(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

// src/cli.ts
var USAGE = `usage: fleetpack <command> [options]

commands:
  build <dir> --output <file.tgz>   archive <dir> as a Flux artifact layer and print its digests as JSON
      --ignore-path <pattern>        leave out matching paths (gitignore syntax; repeatable; added to Flux's defaults)
      --annotation <key=value>       set a manifest annotation (repeatable)
      --source <url>                 org.opencontainers.image.source (default: GitHub context or git origin)
      --revision <ref@sha1:sha>      org.opencontainers.image.revision (default: GitHub context or git HEAD)
      --repository-root <dir>        symlinks must stay inside it (default: the enclosing git work tree)

  publish <dir>... --repository <ref>  build each directory and push it, printing the artifacts as JSON
      --repository <ref>             target repository; with several directories it must contain {name}
      --tag <tag>                    tag to apply after the push (repeatable; default latest)
      --diff-tag <tag>               skip the upload when this tag already holds the same content
      --oci-layout <dir>             write an OCI image layout per component under <dir> instead of pushing
      --insecure-registry <host>     allow plain HTTP to this registry (loopback is always allowed)
      --concurrency <n>              components published at once (default 8)
      --username <user>              registry user; the password is read from FLEETPACK_PASSWORD
      --ignore-path, --annotation, --source, --revision   as for build
  Credentials otherwise come from docker's config (docker login).
`;
async function build(args) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      output: { type: "string", short: "o" },
      "ignore-path": { type: "string", multiple: true, default: [] },
      annotation: { type: "string", multiple: true, default: [] },
      source: { type: "string" },
      revision: { type: "string" },
      "repository-root": { type: "string" }
    }
  });
  const [dir, ...extra] = positionals;
  if (dir === void 0 || extra.length > 0) {
    throw new InputError("build takes exactly one directory", { hint: USAGE });
  }
  if (!values.output) {
    throw new InputError("build needs --output <file.tgz>", { hint: USAGE });
  }
  const annotations = parseAnnotations(values.annotation, "--annotation");
  const artifact = await buildArtifact(dir, {
    repositoryRoot: values["repository-root"] ?? repositoryRootFor(dir),
    ignorePatterns: values["ignore-path"],
    outputPath: resolve3(values.output),
    metadata: {
      created: await createdTimeFor(dir),
      source: values.source ?? await defaultSource(dir),
      revision: values.revision ?? await defaultRevision(dir),
      annotations
    }
  });
  const result2 = {
    digest: artifact.layer.digest,
    diffId: artifact.layer.diffId,
    size: artifact.layer.size,
    files: artifact.layer.files,
    output: artifact.layer.path,
    mediaType: "application/vnd.cncf.flux.content.v1.tar+gzip",
    manifestDigest: artifact.manifest.descriptor.digest,
    annotations: artifact.annotations
  };
  process.stdout.write(`${JSON.stringify(result2, null, 2)}
`);
}
async function publishCommand(args) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      repository: { type: "string" },
      tag: { type: "string", multiple: true, default: [] },
      "diff-tag": { type: "string" },
      "oci-layout": { type: "string" },
      "insecure-registry": { type: "string", multiple: true, default: [] },
      concurrency: { type: "string", default: "8" },
      username: { type: "string" },
      "ignore-path": { type: "string", multiple: true, default: [] },
      annotation: { type: "string", multiple: true, default: [] },
      source: { type: "string" },
      revision: { type: "string" }
    }
  });
  if (positionals.length === 0)
    throw new InputError("publish needs at least one directory", { hint: USAGE });
  if (!values.repository)
    throw new InputError("publish needs --repository <ref>", {
      hint: "e.g. --repository ghcr.io/org/fleet/{name}"
    });
  const password = process.env.FLEETPACK_PASSWORD;
  if (values.username && !password) {
    throw new InputError("--username is set but FLEETPACK_PASSWORD is empty", {
      hint: "pass the password in the FLEETPACK_PASSWORD environment variable (never as a flag: flags show in process lists)"
    });
  }
  const log = {
    info: (message) => process.stderr.write(`${message}
`),
    warning: (message) => process.stderr.write(`warning: ${message}
`),
    debug: (message) => {
      if (process.env.FLEETPACK_DEBUG) process.stderr.write(`debug: ${message}
`);
    },
    group: (title, lines) => {
      if (process.env.FLEETPACK_DEBUG || lines.some((line) => line.startsWith("error:"))) {
        process.stderr.write(`${title}
${lines.map((line) => `  ${line}
`).join("")}`);
      }
    },
    secret: () => void 0
  };
  try {
    const results = await publish(
      {
        paths: positionals,
        repository: values.repository,
        tags: validateTags(values.tag.length > 0 ? values.tag : ["latest"], "--tag"),
        diffTag: values["diff-tag"] === void 0 ? void 0 : validateTags([values["diff-tag"]], "--diff-tag")[0],
        ignorePaths: values["ignore-path"],
        annotations: parseAnnotations(values.annotation, "--annotation"),
        source: values.source,
        revision: values.revision,
        concurrency: parseConcurrency(values.concurrency, "--concurrency"),
        username: values.username,
        password: values.username ? password : void 0,
        githubActor: void 0,
        githubToken: void 0,
        insecureRegistries: values["insecure-registry"],
        ociLayout: values["oci-layout"] === void 0 ? void 0 : resolve3(values["oci-layout"])
      },
      log
    );
    process.stdout.write(`${JSON.stringify(results, null, 2)}
`);
  } catch (error) {
    if (error instanceof PublishError)
      process.stdout.write(`${JSON.stringify(error.results, null, 2)}
`);
    throw error;
  }
}
async function main(argv) {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "build":
        await build(rest);
        return 0;
      case "publish":
        await publishCommand(rest);
        return 0;
      case void 0:
      case "-h":
      case "--help":
      case "help":
        process.stdout.write(USAGE);
        return command === void 0 ? 2 : 0;
      default:
        throw new InputError(`unknown command "${command}"`, { hint: USAGE });
    }
  } catch (error) {
    const known = error instanceof FleetpackError || isParseArgsError(error);
    process.stderr.write(`fleetpack: ${known ? errorText(error) : describeError(error)}
`);
    return known ? 1 : 70;
  }
}
function isParseArgsError(error) {
  return error instanceof TypeError && String(error.code).startsWith("ERR_PARSE_ARGS");
}
function errorText(error) {
  return error instanceof FleetpackError ? error.explanation : error.message;
}
process.exitCode = await main(process.argv.slice(2));
