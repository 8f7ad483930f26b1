import { createRequire as __fleetpackCreateRequire } from 'node:module';
const require = __fleetpackCreateRequire(import.meta.url);
import {
  ANNOTATION_CREATED,
  FLUX_CONFIG_MEDIA_TYPE,
  FLUX_CONTENT_MEDIA_TYPE,
  artifactAnnotations,
  fluxConfig,
  fluxManifest,
  formatCreated
} from "./chunk-QPMVQUVC.js";
import {
  RegistryPool
} from "./chunk-5BMK2G7T.js";
import {
  RegistryError
} from "./chunk-5JHJT3VO.js";
import {
  hasControlCharacters,
  parseRepository,
  quoteExternal,
  quoteExternalLines,
  repositoryName,
  validateTag
} from "./chunk-ZMMS22VM.js";
import {
  OCI_MANIFEST_MEDIA_TYPE
} from "./chunk-VRUUYRFZ.js";
import {
  BuildError,
  FleetpackError,
  InputError,
  describeError
} from "./chunk-H43LIEXV.js";
import {
  __commonJS,
  __toESM
} from "./chunk-DC45UNIC.js";

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
    var PLACEHOLDER2 = "\0";
    var REGEX_RESTORE_PLACEHOLDER = new RegExp(
      `${PLACEHOLDER2}(\\d+)${PLACEHOLDER2}`,
      "g"
    );
    var TRAILING_WILDCARD = "\uE000";
    var TRAILING_DOUBLESTAR = "\uE001";
    var isReserved = (char) => char === PLACEHOLDER2 || char === TRAILING_WILDCARD || char === TRAILING_DOUBLESTAR;
    var extractBrackets = (pattern) => {
      const sources = [];
      const hold = (source) => `${PLACEHOLDER2}${sources.push(source) - 1}${PLACEHOLDER2}`;
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
        (_, run3, space) => space ? run3.slice(0, run3.length - run3.length % 2) + SPACE : run3,
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
    var separatorAfter = (run3, at) => {
      let separator = EMPTY;
      for (let index = at + 1; index < run3.length && !run3[index].wildcard; index++) {
        separator += run3[index].single;
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
      let run3 = [];
      const flush = () => {
        let lastWildcard;
        run3.forEach((token, at) => {
          if (token.wildcard) {
            lastWildcard = at;
          }
        });
        run3.forEach((token, at) => {
          if (!token.wildcard) {
            out += token.single;
            return;
          }
          out += at === lastWildcard ? WILDCARD : `(?:(?!${separatorAfter(run3, at)})[^\\/])*`;
        });
        run3 = [];
      };
      tokens.forEach((token) => {
        if (token.boundary === void 0) {
          run3.push(token);
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

// src/components.ts
import * as fsp from "node:fs/promises";
import { basename, isAbsolute, relative, resolve } from "node:path";
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
          matches.push(relative(resolve(cwd), resolve(cwd, entry.parentPath, entry.name)));
      }
      if (matches.length === 0) {
        throw new InputError(`paths: the glob "${path}" matches no directory`, {
          hint: "check the pattern; globs are relative to the working directory (the repository root on a runner)"
        });
      }
      directories.push(...matches.sort());
    } else {
      const info = await fsp.stat(resolve(cwd, path)).catch(() => void 0);
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
  const unique = [...new Set(directories)];
  if (unique.length > 1 && !repositoryTemplate.includes(NAME_PLACEHOLDER)) {
    throw new InputError(
      `${repositoryInput} "${repositoryTemplate}" has no {name} but paths list ${unique.length} components`,
      {
        hint: `add {name} where each component's directory name goes, e.g. ${repositoryTemplate.replace(/\/+$/, "")}/{name}`
      }
    );
  }
  const seen = /* @__PURE__ */ new Map();
  return unique.map((path) => {
    const name = basename(resolve(cwd, path));
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
function defaultRepositoryTemplate(env = process.env) {
  const repository = env.GITHUB_REPOSITORY;
  return repository ? `ghcr.io/${repository.toLowerCase()}/${NAME_PLACEHOLDER}` : void 0;
}
async function confineToWorkspace(components, cwd, workspace) {
  const root = await fsp.realpath(workspace);
  for (const component of components) {
    const real = await fsp.realpath(resolve(cwd, component.path));
    const inside = relative(root, real);
    if (inside.startsWith("..") || isAbsolute(inside)) {
      throw new InputError(
        `paths: "${component.path}" is outside the workspace ${workspace} (it resolves to ${real})`,
        {
          hint: "publish only directories of the checked-out repository; check out other repositories into a folder of the workspace (actions/checkout with path:)"
        }
      );
    }
  }
}

// src/tags.ts
var PLACEHOLDER = /\{([a-z]+)(?::(\d+))?\}/g;
var PLACEHOLDERS = ["sha", "branch", "tag", "version", "major", "minor", "patch", "name"];
var HINT = 'placeholders are {sha} (or {sha:8}), {branch}, {tag}, {version}, {major}, {minor}, {patch} and {name}; around them, letters, digits, "_", "." and "-"';
function checkTagTemplates(templates, input) {
  if (templates.length === 0)
    throw new InputError(`${input} is empty`, { hint: "give at least one tag, e.g. latest" });
  for (const template of templates) {
    for (const [, name, length] of template.matchAll(PLACEHOLDER)) {
      if (!PLACEHOLDERS.includes(name)) {
        throw new InputError(`${input}: "${template}" uses an unknown placeholder {${name}}`, {
          hint: HINT
        });
      }
      if (length !== void 0 && (name !== "sha" || Number(length) < 4 || Number(length) > 40)) {
        throw new InputError(`${input}: "${template}" shortens {${name}} to ${length}`, {
          hint: "only {sha} takes a length, from 4 to 40: {sha:8}"
        });
      }
    }
    const literal = template.replace(PLACEHOLDER, "x");
    if (!/^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/.test(literal) || /[{}]/.test(literal)) {
      throw new InputError(`${input}: "${template}" is not a valid tag or tag template`, {
        hint: HINT
      });
    }
  }
  return [...new Set(templates)];
}
function expandTags(templates, values, input) {
  const expanded = templates.map(
    (template) => template.replace(PLACEHOLDER, (_match, name, length) => {
      const value = placeholderValue(name, values, template, input);
      return length === void 0 ? value : value.slice(0, Number(length));
    })
  );
  return [...new Set(expanded.map((tag) => validateTag(tag, input)))];
}
function placeholderValue(name, {
  ref,
  version,
  name: component
}, template, input) {
  const missing = (what, hint) => new InputError(`${input}: "${template}" needs ${what}, and this run has none`, { hint });
  switch (name) {
    case "name":
      return component;
    case "sha":
      if (!ref.sha)
        throw missing("the commit", "run in a git checkout (actions/checkout), or set GITHUB_SHA");
      return ref.sha;
    case "branch":
      if (!ref.branch)
        throw missing(
          "a branch",
          `this run is for ${ref.tag ? `tag ${ref.tag}` : "a detached commit"}; use {branch} in workflows triggered by branch pushes, or {tag}/{version} for tags`
        );
      return tagSafe(ref.branch);
    case "tag":
      if (!ref.tag)
        throw missing(
          "a git tag",
          "use {tag} in workflows triggered by tag pushes (on: push: tags)"
        );
      return tagSafe(ref.tag);
    default: {
      if (!version)
        throw missing(
          "a semantic version",
          ref.tag ? `the git tag ${ref.tag} is not a version (v1.2.3, or <component>/v1.2.3 with release-tag-pattern)` : "use version placeholders in workflows triggered by version tags (v1.2.3)"
        );
      return version[name];
    }
  }
}
function tagSafe(name) {
  return name.replace(/[^A-Za-z0-9._-]/g, "-").replace(/^[.-]+/, "").slice(0, 128);
}
function parseSemver(text) {
  const match = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/.exec(text);
  if (!match) return void 0;
  const [, major, minor, patch, pre = "", build = ""] = match;
  return {
    version: `${major}.${minor}.${patch}${pre}${build.replace("+", "-")}`,
    major,
    minor,
    patch
  };
}
function matchReleaseTag(pattern, tag) {
  const escaped = pattern.split(/(\{name\}|\*)/).map(
    (part) => part === "{name}" ? "(?<name>[^/]+)" : part === "*" ? "(?<version>.+)" : part.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")
  ).join("");
  const match = new RegExp(`^${escaped}$`).exec(tag);
  const { name, version } = match?.groups ?? {};
  return name && version ? { name, version } : void 0;
}
function checkReleaseTagPattern(pattern, input) {
  if (pattern.split("{name}").length !== 2 || pattern.split("*").length !== 2) {
    throw new InputError(`${input}: "${pattern}" must contain {name} and * once each`, {
      hint: "e.g. {name}/v* for tags like podinfo/v1.2.3"
    });
  }
  return pattern;
}
function selectRelease(components, ref, pattern, log) {
  const release = pattern && ref.tag ? matchReleaseTag(pattern, ref.tag) : void 0;
  if (!release) return { components, version: ref.tag ? parseSemver(ref.tag) : void 0 };
  const named = components.filter((component) => component.name === release.name);
  if (named.length === 0) {
    throw new InputError(
      `release-tag-pattern: the tag ${ref.tag} names the component "${release.name}", which paths do not list`,
      {
        hint: `tag one of ${components.map((c) => c.name).join(", ")}, or add its directory to paths`
      }
    );
  }
  log.info(`component release: ${release.name} ${release.version} (tag ${ref.tag})`);
  return { components: named, version: parseSemver(release.version) };
}

// src/artifact/walk.ts
import { lstat, readFile, readdir, realpath as realpath2, stat as stat2 } from "node:fs/promises";
import { join, relative as relative2, isAbsolute as isAbsolute2, sep } from "node:path";

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
  withSourceIgnore(dir, content) {
    const rebased = parsePatternLines(content).map((p) => rebasePattern(p, dir));
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
  const repositoryRoot = await realpath2(options.repositoryRoot).catch((cause) => {
    throw new BuildError(`repository root ${options.repositoryRoot} cannot be read`, { cause });
  });
  const realDir = await realpath2(dir);
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
  rawNames.sort((a, b) => Buffer.compare(a, b));
  let rules = visit.rules;
  const names = rawNames.map((raw) => decodeName(raw, visit.displayPath));
  const sourceIgnorePath = join(visit.realPath, SOURCEIGNORE_FILE);
  if (names.includes(SOURCEIGNORE_FILE) && (await lstat(sourceIgnorePath)).isFile()) {
    const content = await readFile(sourceIgnorePath, "utf8");
    rules = rules.withSourceIgnore(visit.archivePrefix.replace(/\/$/, ""), content);
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
          `${displayPath} is a symlink to ${quoteExternal(resolved.realPath)}, outside the repository root`,
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
    realPath = await realpath2(linkPath);
  } catch (cause) {
    if (isErrno(cause, "ENOENT") || isErrno(cause, "ELOOP")) return void 0;
    throw new BuildError(`cannot resolve symlink ${displayPath}`, { cause });
  }
  const stats = await stat2(realPath);
  return { realPath, stats, outside: !isInside(repositoryRoot, realPath) };
}
function isInside(root, candidate) {
  const rel = relative2(root, candidate);
  return rel === "" || !rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute2(rel);
}
function decodeName(raw, parent) {
  let name;
  try {
    name = utf8.decode(raw);
  } catch {
    const shown = quoteExternal(raw.toString("utf8"));
    throw new BuildError(`${join(parent, shown)} has a name that is not valid UTF-8`, {
      hint: "rename the file with a UTF-8 name (Flux and most registries expect UTF-8 paths)"
    });
  }
  if (hasControlCharacters(name)) {
    throw new BuildError(
      `${join(parent, quoteExternal(name))} has a control character (shown escaped) in its name`,
      {
        hint: "rename the file: names with line breaks or other control characters are refused, as they would reach the build log unprintable"
      }
    );
  }
  return name;
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
    return await stat2(dir);
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
import { createHash } from "node:crypto";
import fs, { createReadStream, createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { once } from "node:events";
import { finished } from "node:stream/promises";

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
  const counted = { files: 0 };
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
    for await (const chunk of tarStream(dir, options, counted)) await gzip.write(chunk);
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
    files: counted.files
  };
}
async function hashTree(dir, options) {
  const uncompressed = createHash("sha256");
  const counted = { files: 0 };
  let size = 0;
  for await (const chunk of tarStream(dir, options, counted)) {
    uncompressed.update(chunk);
    size += chunk.length;
  }
  return { diffId: sha256(uncompressed), files: counted.files, size };
}
async function* tarStream(dir, options, counted) {
  const queue = [];
  let queuedBytes = 0;
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
      counted.files++;
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
  if (counted.files === 0) {
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
      const finish2 = (error) => fs.close(fd, () => error ? reject(error) : resolve4(buffer));
      const readFrom = (offset) => {
        if (offset === entry.size) return finish2(void 0);
        fs.read(fd, buffer, offset, entry.size - offset, offset, (readError, bytesRead) => {
          if (readError) return finish2(unreadable(entry, readError));
          if (bytesRead === 0) return finish2(changed(entry));
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

// src/artifact/index.ts
import { join as join2 } from "node:path";
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
import { dirname, join as join3, relative as relative3, isAbsolute as isAbsolute3, resolve as resolve2 } from "node:path";
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
  const absolute = resolve2(dir);
  const workspace = env.GITHUB_WORKSPACE;
  if (workspace && isWithin(resolve2(workspace), absolute)) return resolve2(workspace);
  for (let current = absolute; ; current = dirname(current)) {
    if (existsSync(join3(current, ".git"))) return current;
    if (dirname(current) === current) return absolute;
  }
}
function isWithin(root, candidate) {
  const rel = relative3(root, candidate);
  return !rel.startsWith("..") && !isAbsolute3(rel);
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
  const url = remote ? normaliseRemoteUrl(remote) : void 0;
  return url && /^https?:\/\//.test(url) ? url : void 0;
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
async function refContext(dir, env = process.env) {
  const sha = env.GITHUB_SHA;
  const ref = env.GITHUB_REF;
  if (sha && ref) {
    if (ref.startsWith("refs/tags/")) return { sha, tag: ref.slice("refs/tags/".length) };
    if (ref.startsWith("refs/heads/")) return { sha, branch: ref.slice("refs/heads/".length) };
    return { sha, branch: env.GITHUB_HEAD_REF || void 0 };
  }
  const [head, branch, tag] = await Promise.all([
    git(dir, "rev-parse", "HEAD"),
    git(dir, "rev-parse", "--abbrev-ref", "HEAD"),
    git(dir, "describe", "--tags", "--exact-match", "HEAD")
  ]);
  return { sha: head, branch: branch && branch !== "HEAD" ? branch : void 0, tag };
}

// src/unchanged.ts
import { createHash as createHash2 } from "node:crypto";
import { Transform, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
function fluxArtifact(remote) {
  let parsed;
  try {
    parsed = JSON.parse(remote.bytes.toString());
  } catch {
    return void 0;
  }
  const layer = Array.isArray(parsed.layers) && parsed.layers.length === 1 ? parsed.layers[0] : void 0;
  if (remote.mediaType !== OCI_MANIFEST_MEDIA_TYPE || parsed.config?.mediaType !== FLUX_CONFIG_MEDIA_TYPE || typeof parsed.config.digest !== "string" || parsed.subject !== void 0 || layer?.mediaType !== FLUX_CONTENT_MEDIA_TYPE || typeof layer.digest !== "string" || typeof layer.size !== "number")
    return void 0;
  return { config: parsed.config.digest, layer: { digest: layer.digest, size: layer.size } };
}
async function configDiffId(client, digest) {
  try {
    const config = JSON.parse((await client.getBlob(digest, 64 * 1024)).toString());
    const diffId = config.rootfs?.diff_ids?.[0];
    return typeof diffId === "string" ? diffId : void 0;
  } catch {
    return void 0;
  }
}
async function proveUnchanged(remote, local, signing) {
  if (signing && await signing.signedByThisRun(
    remote.client,
    remote.component.repository,
    remote.manifest.descriptor
  ))
    return void 0;
  return contentProof(remote.client, remote.layer, local);
}
async function contentProof(client, layer, local) {
  try {
    const diffId = await layerDiffId(client, layer, local.size);
    return diffId === local.diffId ? void 0 : `its layer holds other content (${diffId})`;
  } catch (error) {
    return `its layer could not be proven (${describeError(error)})`;
  }
}
async function layerDiffId(client, layer, maxUncompressed) {
  const compressed = createHash2("sha256");
  const uncompressed = createHash2("sha256");
  let read = 0;
  let inflated = 0;
  const gunzip = createGunzip();
  const source = await client.openBlob(layer.digest);
  await pipeline(
    source,
    new Transform({
      transform(chunk, _encoding, done) {
        read += chunk.length;
        if (read > layer.size)
          return done(new Error(`more than the ${layer.size} bytes its descriptor gives`));
        compressed.update(chunk);
        done(null, chunk);
      }
    }),
    gunzip,
    new Writable({
      write(chunk, _encoding, done) {
        inflated += chunk.length;
        if (inflated > maxUncompressed) return done(new Error("more content than this tree"));
        uncompressed.update(chunk);
        done();
      }
    })
  );
  if (read !== layer.size || `sha256:${compressed.digest("hex")}` !== layer.digest)
    throw new Error(`the registry's blob is not ${layer.digest}`);
  return `sha256:${uncompressed.digest("hex")}`;
}

// src/publish.ts
import { mkdtemp, rm as rm3 } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join as join6, resolve as resolve3 } from "node:path";

// src/validate.ts
import { execFile as execFile2, spawn } from "node:child_process";
import { existsSync as existsSync2 } from "node:fs";
import { mkdir, rm as rm2 } from "node:fs/promises";
import { join as join4 } from "node:path";
import { promisify as promisify3 } from "node:util";
var run2 = promisify3(execFile2);
var QUOTED = 4e3;
var KUSTOMIZATIONS = ["kustomization.yaml", "kustomization.yml", "Kustomization"];
async function validateLayer(layerPath, scratch, options, note) {
  await rm2(scratch, { recursive: true, force: true });
  await mkdir(scratch, { recursive: true });
  try {
    await run2("tar", ["-xzf", layerPath, "-C", scratch], { timeout: options.timeoutMs });
    let built = "";
    if (KUSTOMIZATIONS.some((name) => existsSync2(join4(scratch, name)))) {
      built = await kustomizeBuild(scratch, options);
      note(`validated: kustomize build (${built.split("\n---\n").length} documents)`);
    } else {
      note("validate: no kustomization.yaml at the root; kustomize build skipped");
    }
    if (options.command) {
      await userCommand(options.command, scratch, built, options.timeoutMs);
      note(`validated: ${options.command}`);
    }
  } finally {
    await rm2(scratch, { recursive: true, force: true });
  }
}
async function kustomizeBuild(dir, options) {
  const binary = options.kustomize ?? "kustomize";
  try {
    const { stdout } = await run2(binary, ["build", dir], {
      timeout: options.timeoutMs,
      maxBuffer: 256 * 1024 * 1024
    });
    return stdout;
  } catch (error) {
    const { code, stderr } = error;
    if (code === "ENOENT") {
      throw new BuildError(`validate needs kustomize, and ${binary} is not installed`, {
        hint: "install kustomize (GitHub-hosted runners have it), or leave validate off",
        cause: error
      });
    }
    const message = (stderr ?? "").replaceAll(dir, "<artifact>").trim().slice(0, QUOTED);
    throw new BuildError(`kustomize build failed:
${quoteExternalLines(message)}`, {
      hint: "fix the kustomization (kustomize build <dir> shows the same error locally); nothing of this component was uploaded",
      cause: error
    });
  }
}
function userCommand(command, cwd, input, timeoutMs) {
  return new Promise((resolve4, reject) => {
    const child = spawn("sh", ["-c", command], {
      cwd,
      stdio: ["pipe", "pipe", "pipe"],
      ...timeoutMs ? { timeout: timeoutMs } : {}
    });
    let output = "";
    const keep = (chunk) => {
      if (output.length < QUOTED * 2) output += chunk.toString();
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    child.stdin.on("error", () => void 0);
    child.stdin.end(input);
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) return resolve4();
      reject(
        new BuildError(
          `the validate command failed (exit ${code}): ${command}
${quoteExternalLines(output.trim().slice(-QUOTED))}`,
          {
            hint: "fix what it reports (it ran on the artifact about to be published, with kustomize build output on stdin); nothing of this component was uploaded"
          }
        )
      );
    });
  });
}

// src/tagging.ts
async function applyTags(client, manifest, tags, note) {
  const digest = manifest.descriptor.digest;
  const outcomes = await Promise.allSettled(
    tags.map(async (tag) => {
      try {
        await client.putManifest(tag, manifest);
        note(`tagged ${tag}`);
      } catch (error) {
        if (!refusedWrite(error)) throw error;
        const held = (await client.getManifest(tag).catch(() => void 0))?.digest;
        if (held === digest) {
          note(`${tag} already holds ${digest} (the registry does not rewrite it)`);
          return;
        }
        if (held === void 0) throw error;
        throw new RegistryError(
          `the registry refused to move tag ${tag}, which holds ${held}, to ${digest}: its tags are immutable`,
          {
            code: "registry-tag-immutable",
            cause: error,
            hint: "with immutable tags, tag each build uniquely (tags: {version} or main-{sha:8}) and leave moving tags such as latest out, or make the repository\u2019s tags mutable"
          }
        );
      }
    })
  );
  const failed = outcomes.flatMap(
    (outcome, i) => outcome.status === "rejected" ? [{ tag: tags[i], error: outcome.reason }] : []
  );
  if (failed.length === 0) return;
  const moved = tags.filter((_, i) => outcomes[i]?.status === "fulfilled");
  if (moved.length > 0) note(`tags that did move to ${digest}: ${moved.join(", ")}`);
  throw failed[0]?.error;
}
function refusedWrite(error) {
  return error instanceof RegistryError && error.status !== void 0 && error.status >= 400 && error.status < 500 && ![401, 403, 404, 408, 429].includes(error.status);
}

// src/oci/layout.ts
import { createHash as createHash3, randomUUID } from "node:crypto";
import { copyFile, mkdir as mkdir2, readFile as readFile2, rename as rename2, stat as stat3, writeFile } from "node:fs/promises";
import { createReadStream as createReadStream2 } from "node:fs";
import { join as join5 } from "node:path";
var REF_NAME = "org.opencontainers.image.ref.name";
var LayoutStore = class {
  constructor(dir) {
    this.dir = dir;
  }
  dir;
  /** index.json is read-modify-written: one update at a time. */
  indexUpdates = Promise.resolve();
  blobPath(digest) {
    return join5(this.dir, "blobs", "sha256", digest.replace(/^sha256:/, ""));
  }
  async blobExists(digest) {
    return stat3(this.blobPath(digest)).then(
      () => true,
      () => false
    );
  }
  async pushBlob(descriptor, source) {
    if (await this.blobExists(descriptor.digest)) return false;
    await this.init();
    const target = this.blobPath(descriptor.digest);
    const partial = `${target}.${process.pid}.${randomUUID()}.tmp`;
    if ("bytes" in source) await writeFile(partial, source.bytes);
    else await copyFile(source.file, partial);
    await rename2(partial, target);
    return true;
  }
  async putManifest(reference, manifest) {
    await this.pushBlob(manifest.descriptor, { bytes: manifest.bytes });
    const update = this.indexUpdates.then(() => this.updateIndex(reference, manifest.descriptor));
    this.indexUpdates = update.catch(() => void 0);
    await update;
    return void 0;
  }
  async updateIndex(reference, descriptor) {
    const index = await this.readIndex();
    if (reference.startsWith("sha256:")) {
      if (!index.manifests.some((m) => m.digest === reference && !m.annotations?.[REF_NAME])) {
        index.manifests.push({ ...descriptor });
      }
    } else {
      index.manifests = index.manifests.filter((m) => m.annotations?.[REF_NAME] !== reference);
      index.manifests.push({ ...descriptor, annotations: { [REF_NAME]: reference } });
    }
    await writeFile(join5(this.dir, "index.json.tmp"), JSON.stringify(index));
    await rename2(join5(this.dir, "index.json.tmp"), join5(this.dir, "index.json"));
  }
  async getManifest(reference) {
    const index = await this.readIndex();
    const digest = reference.startsWith("sha256:") ? reference : index.manifests.find((m) => m.annotations?.[REF_NAME] === reference)?.digest;
    if (!digest || !await this.blobExists(digest)) return void 0;
    const bytes = await this.getBlob(digest);
    const mediaType = JSON.parse(bytes.toString()).mediaType ?? "";
    return { digest, mediaType, bytes };
  }
  async getBlob(digest) {
    const bytes = await readFile2(this.blobPath(digest));
    const actual = `sha256:${createHash3("sha256").update(bytes).digest("hex")}`;
    if (actual !== digest)
      throw new RegistryError(`layout blob ${digest} holds ${actual}: the layout is corrupt`);
    return bytes;
  }
  openBlob(digest) {
    return Promise.resolve(createReadStream2(this.blobPath(digest)));
  }
  /** A layout has no referrers API: signatures in it are found by their tags. */
  supportsReferrersApi() {
    return Promise.resolve(false);
  }
  getReferrers() {
    return Promise.reject(
      new RegistryError("an OCI layout has no referrers API: read the referrers tag instead")
    );
  }
  async init() {
    await mkdir2(join5(this.dir, "blobs", "sha256"), { recursive: true });
    await writeFile(join5(this.dir, "oci-layout"), '{"imageLayoutVersion":"1.0.0"}');
  }
  async readIndex() {
    try {
      return JSON.parse(await readFile2(join5(this.dir, "index.json"), "utf8"));
    } catch {
      return {
        schemaVersion: 2,
        mediaType: "application/vnd.oci.image.index.v1+json",
        manifests: []
      };
    }
  }
};

// src/publish.ts
var PublishError = class extends FleetpackError {
  constructor(failures, summary, total) {
    super(
      `${failures.length} of ${total} components failed:
` + failures.map(
        (f) => `  ${f.component} (${f.path}): ${describeError(f.error).replace(/\n/g, "\n    ")}`
      ).join("\n"),
      { code: "publish-incomplete" }
    );
    this.failures = failures;
    this.summary = summary;
  }
  failures;
  summary;
};
async function publish(inputs, log) {
  const { build, registry } = inputs;
  const cwd = build.cwd ?? process.cwd();
  const env = inputs.env ?? process.env;
  const ref = await refContext(cwd, env);
  const { components, version } = selectRelease(
    await resolveComponents(build.paths, registry.repository, { cwd }),
    ref,
    registry.releaseTagPattern,
    log
  );
  const tagsOf = new Map(
    components.map((component) => {
      const values = { ref, version, name: component.name };
      return [
        component.name,
        {
          tags: expandTags(registry.tags, values, "tags"),
          diffTag: registry.diffTag ? expandTags([registry.diffTag], values, "diff-tag")[0] : void 0
        }
      ];
    })
  );
  if (env.GITHUB_ACTIONS === "true" && env.GITHUB_WORKSPACE)
    await confineToWorkspace(components, cwd, env.GITHUB_WORKSPACE);
  const signingInputs = inputs.signing;
  const signing = signingInputs.mode !== "none" ? await (await import("./sign-ZP6SIZTO.js")).SignaturePipeline.create({
    ...signingInputs,
    env,
    onSecret: (secret) => log.secret(secret)
  }) : void 0;
  const workDir = await mkdtemp(join6(inputs.output?.workDir ?? tmpdir(), "fleetpack-"));
  const run3 = {
    inputs,
    cwd,
    workDir,
    signing,
    registries: new RegistryPool({
      username: registry.username,
      password: registry.password,
      githubActor: registry.githubActor,
      githubToken: registry.githubToken,
      insecureRegistries: registry.insecureRegistries,
      timeoutMs: requestTimeoutMs(env),
      provider: registry.provider,
      env,
      onSecret: (secret) => log.secret(secret),
      info: (message) => log.info(message),
      debug: (message) => log.debug(message)
    })
  };
  if (registry.createRepositories && !inputs.output?.ociLayout)
    await createRepositories(components, registry.createRepositories.mutability, env, log);
  const results = [];
  const failures = [];
  let done = 0;
  log.info(
    `publishing ${components.length} component${components.length === 1 ? "" : "s"} with concurrency ${registry.concurrency}`
  );
  try {
    await forEachLimited(components, registry.concurrency, async (component, index) => {
      const lines = [];
      const job = {
        component,
        index,
        ...tagsOf.get(component.name),
        note: (line) => lines.push(line)
      };
      try {
        const result2 = await publishComponent(run3, job);
        results.push(result2);
        done++;
        log.info(
          `[${done}/${components.length}] ${component.name}: ${result2.pushed ? "pushed" : "unchanged"} ${result2.digest}`
        );
      } catch (error) {
        failures.push({ component: component.name, path: component.path, error });
        done++;
        job.note(`error: ${describeError(error)}`);
        log.info(`[${done}/${components.length}] ${component.name}: failed`);
      } finally {
        log.group(`${component.name} (${component.path})`, lines);
      }
    });
  } finally {
    await rm3(workDir, { recursive: true, force: true });
  }
  const ordered = components.flatMap((c) => results.filter((r) => r.component === c.name));
  const identity = signing ? await signing.signedIdentity() : void 0;
  const summary = { artifacts: ordered, ...identity ? { identity } : {} };
  if (failures.length > 0) throw new PublishError(failures, summary, components.length);
  return summary;
}
async function createRepositories(components, mutability, env, log) {
  const { ensureEcrRepositories } = await import("./ecr-CCTHPV2J.js");
  const byRegistry = /* @__PURE__ */ new Map();
  for (const { repository } of components)
    byRegistry.set(repository.registry, [
      ...byRegistry.get(repository.registry) ?? [],
      repository.path
    ]);
  for (const [registry, names] of byRegistry) {
    const { created } = await ensureEcrRepositories(names, { registry, env, mutability });
    if (created.length > 0)
      log.info(
        `${registry}: created ${created.length} repositor${created.length === 1 ? "y" : "ies"} (${mutability} tags, scan on push): ${created.join(", ")}`
      );
  }
}
async function publishComponent(run3, job) {
  const { component, note, diffTag } = job;
  const { build, output } = run3.inputs;
  const dir = resolve3(run3.cwd, component.path);
  note(`repository ${repositoryName(component.repository)}`);
  const repositoryRoot = repositoryRootFor(dir);
  const client = output?.ociLayout ? new LayoutStore(join6(output.ociLayout, component.name)) : await run3.registries.repository(component.repository);
  let remote;
  if (diffTag) {
    remote = await client.getManifest(diffTag);
    const candidate = remote && fluxArtifact(remote);
    const remoteDiffId = candidate && await configDiffId(client, candidate.config);
    if (remote && candidate && remoteDiffId) {
      const local = await hashTree(dir, { repositoryRoot, ignorePatterns: build.ignorePaths });
      if (local.diffId === remoteDiffId) {
        const unproven = await proveUnchanged(
          { client, component, manifest: asContent(remote), layer: candidate.layer },
          local,
          run3.signing
        );
        if (unproven === void 0) {
          note(
            `${diffTag} already holds this content (${remote.digest}, diffID ${local.diffId}); nothing to upload`
          );
          return finish(run3, job, { client, manifest: asContent(remote), pushed: false });
        }
        note(`${diffTag} claims this content, but ${unproven}; publishing this build`);
      } else {
        note(`${diffTag} holds other content (diffID ${remoteDiffId}); publishing`);
      }
    }
  }
  const artifact = await buildArtifact(dir, {
    repositoryRoot,
    ignorePatterns: build.ignorePaths,
    outputPath: join6(run3.workDir, `${job.index}-${component.name}.tar.gz`),
    metadata: {
      created: await createdTimeFor(dir),
      source: build.source ?? await defaultSource(dir),
      revision: build.revision ?? await defaultRevision(dir),
      annotations: build.annotations
    }
  });
  note(
    `built ${artifact.layer.files} files, layer ${artifact.layer.digest} (${artifact.layer.size} bytes), diffID ${artifact.layer.diffId}`
  );
  if (build.validate)
    await validateLayer(
      artifact.layer.path,
      join6(run3.workDir, `${job.index}-${component.name}.validate`),
      build.validate,
      note
    );
  const blobs = [
    { descriptor: artifact.config.descriptor, source: { bytes: artifact.config.bytes } },
    {
      descriptor: {
        mediaType: FLUX_CONTENT_MEDIA_TYPE,
        size: artifact.layer.size,
        digest: artifact.layer.digest
      },
      source: { file: artifact.layer.path }
    }
  ];
  const manifest = artifact.manifest;
  const knownAbsent = diffTag !== void 0 && remote === void 0;
  await Promise.all(
    blobs.map(async (blob) => {
      const mountFrom = run3.registries.knownLocation(component.repository, blob.descriptor.digest);
      const sent = await client.pushBlob(blob.descriptor, blob.source, { mountFrom, knownAbsent });
      run3.registries.remember(component.repository, blob.descriptor.digest);
      note(
        `${sent ? "uploaded" : "already present"}: ${blob.descriptor.digest} (${blob.descriptor.size} bytes)`
      );
    })
  );
  if (run3.signing || job.tags.length === 0) {
    await client.putManifest(manifest.descriptor.digest, manifest);
    note(`manifest ${manifest.descriptor.digest}`);
  }
  return finish(run3, job, { client, manifest, pushed: true });
}
async function finish(run3, { component, note, tags }, { client, manifest, pushed }) {
  const digest = manifest.descriptor.digest;
  const signature = run3.signing ? await run3.signing.ensureSigned(client, component.repository, manifest.descriptor, note) : void 0;
  await run3.signing?.attachProvenance(client, component.repository, manifest.descriptor, note);
  await applyTags(client, manifest, tags, note);
  const base = result(component, digest, tags, pushed);
  return signature ? {
    ...base,
    signed: true,
    signature: signature.signature,
    rekorLogIndex: signature.rekorLogIndex
  } : base;
}
function result(component, digest, tags, pushed) {
  const repository = repositoryName(component.repository);
  return {
    signed: false,
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
function requestTimeoutMs(env) {
  const seconds = Number(env.FLEETPACK_REQUEST_TIMEOUT);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1e3 : 6e4;
}

export {
  resolveComponents,
  defaultRepositoryTemplate,
  checkTagTemplates,
  expandTags,
  parseSemver,
  checkReleaseTagPattern,
  walkTree,
  hashTree,
  buildArtifact,
  repositoryRootFor,
  createdTimeFor,
  defaultSource,
  defaultRevision,
  refContext,
  fluxArtifact,
  configDiffId,
  contentProof,
  PublishError,
  publish,
  requestTimeoutMs
};
//# sourceMappingURL=chunk-ENRAOMV4.js.map
