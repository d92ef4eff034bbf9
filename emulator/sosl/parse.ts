import { SalesforceApiError } from '../core/errors.ts';

/** Inside a term, an unescaped `*` (any run of characters) is stored as this private-use character… */
export const WILDCARD_ANY = '\uE000';
/** …and an unescaped `?` (exactly one character) as this one, so escaped `\*` stays a literal `*`. */
export const WILDCARD_ONE = '\uE001';

/** The `IN … FIELDS` search group. SIDEBAR is accepted and searched like ALL. */
export type SearchScope = 'ALL' | 'NAME' | 'EMAIL' | 'PHONE';

export interface SearchTerm {
  kind: 'term';
  /** The unescaped text, wildcards as WILDCARD_ANY / WILDCARD_ONE. */
  text: string;
  /** Written between double quotes. */
  quoted: boolean;
}

export interface SearchOperation {
  kind: 'and' | 'or' | 'andNot';
  left: SearchExpression;
  right: SearchExpression;
}

export type SearchExpression = SearchTerm | SearchOperation;

/** One `RETURNING Object (fields WHERE … ORDER BY … LIMIT n OFFSET n)` entry, clauses as raw SOQL text. */
export interface ReturningSpec {
  objectName: string;
  /** Field expressions as written (`Name`, `Account.Name`, `toLabel(Industry)`); empty means Id only. */
  fields: string[];
  where?: string;
  orderBy?: string;
  limit?: number;
  offset?: number;
  /** Offset of the object name in the query text, for error positions. */
  position: number;
}

export interface SoslQuery {
  text: string;
  /** The text between the braces, as written. */
  searchText: string;
  expression: SearchExpression;
  scope: SearchScope;
  /** Undefined when the query has no RETURNING clause (search every searchable object). */
  returning: ReturningSpec[] | undefined;
  limit: number | undefined;
}

export const NO_SEARCH_TERM_MESSAGE = 'No search term found. The search term must be enclosed in braces.';

export function malformedSearch(message: string): SalesforceApiError {
  return new SalesforceApiError(400, 'MALFORMED_SEARCH', message);
}

/** Salesforce's parser errors point at the offending spot: the query, a caret, then Row/Column. */
export function positionedMessage(text: string, position: number, message: string): string {
  const before = text.slice(0, position);
  const row = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  const lineEnd = text.indexOf('\n', position);
  const line = text.slice(lineStart, lineEnd < 0 ? text.length : lineEnd);
  const column = position - lineStart;
  return `\n${line}\n${' '.repeat(column)}^\nERROR at Row:${row}:Column:${column + 1}\n${message}`;
}

// ---------------------------------------------------------------------------------------------
// The search expression between the braces
// ---------------------------------------------------------------------------------------------

type ExpressionToken =
  | { type: 'term'; term: SearchTerm }
  | { type: 'open' | 'close' | 'and' | 'or' | 'not'; raw: string };

const OPERATOR_WORDS: Record<string, 'and' | 'or' | 'not'> = { and: 'and', or: 'or', not: 'not' };

function lexExpression(searchText: string): ExpressionToken[] {
  const tokens: ExpressionToken[] = [];
  let index = 0;
  const length = searchText.length;
  while (index < length) {
    const character = searchText[index];
    if (/\s/.test(character)) {
      index++;
    } else if (character === '(' || character === ')') {
      tokens.push({ type: character === '(' ? 'open' : 'close', raw: character });
      index++;
    } else if (character === '"') {
      let text = '';
      index++;
      let closed = false;
      while (index < length) {
        const inner = searchText[index];
        if (inner === '\\') {
          if (index + 1 >= length) break;
          text += searchText[index + 1];
          index += 2;
        } else if (inner === '"') {
          closed = true;
          index++;
          break;
        } else {
          text += inner === '*' ? WILDCARD_ANY : inner === '?' ? WILDCARD_ONE : inner;
          index++;
        }
      }
      if (!closed) throw malformedSearch(`Unterminated quoted phrase in search term: {${searchText}}`);
      tokens.push({ type: 'term', term: { kind: 'term', text, quoted: true } });
    } else {
      let text = '';
      let escaped = false;
      while (index < length) {
        const inner = searchText[index];
        if (/\s/.test(inner) || inner === '(' || inner === ')' || inner === '"') break;
        if (inner === '\\') {
          if (index + 1 >= length)
            throw malformedSearch(`Invalid escape at the end of search term: {${searchText}}`);
          text += searchText[index + 1];
          escaped = true;
          index += 2;
        } else {
          // Unescaped reserved characters other than the wildcards are kept as literal text: the
          // tokenizer treats them as word separators, which is what a user typing "acme-corp" means.
          text += inner === '*' ? WILDCARD_ANY : inner === '?' ? WILDCARD_ONE : inner;
          index++;
        }
      }
      const operator = escaped ? undefined : OPERATOR_WORDS[text.toLowerCase()];
      if (operator) tokens.push({ type: operator, raw: text });
      else tokens.push({ type: 'term', term: { kind: 'term', text, quoted: false } });
    }
  }
  return tokens;
}

/**
 * Parses the search expression: words, quoted phrases, AND, OR, AND NOT, parentheses; adjacent
 * terms mean AND. Precedence: parentheses, then AND / AND NOT (left to right), then OR.
 */
export function parseSearchExpression(searchText: string): SearchExpression {
  const tokens = lexExpression(searchText);
  let position = 0;
  const malformed = (detail: string) => malformedSearch(`${detail} in search term: {${searchText}}`);

  const parseOr = (): SearchExpression => {
    let left = parseAnd();
    while (tokens[position]?.type === 'or') {
      position++;
      left = { kind: 'or', left, right: parseAnd() };
    }
    return left;
  };

  const parseAnd = (): SearchExpression => {
    let left = parseUnary();
    for (;;) {
      const token = tokens[position];
      if (!token || token.type === 'or' || token.type === 'close') return left;
      if (token.type === 'and') {
        position++;
        if (tokens[position]?.type === 'not') {
          position++;
          left = { kind: 'andNot', left, right: parseUnary() };
        } else {
          left = { kind: 'and', left, right: parseUnary() };
        }
      } else if (token.type === 'not') {
        position++;
        left = { kind: 'andNot', left, right: parseUnary() };
      } else {
        left = { kind: 'and', left, right: parseUnary() };
      }
    }
  };

  const parseUnary = (): SearchExpression => {
    const token = tokens[position];
    if (!token) throw malformed('Missing search term after operator');
    if (token.type === 'term') {
      position++;
      return token.term;
    }
    if (token.type === 'open') {
      position++;
      const inner = parseOr();
      if (tokens[position]?.type !== 'close') throw malformed("Missing ')'");
      position++;
      return inner;
    }
    if (token.type === 'close') throw malformed("Unexpected ')'");
    throw malformed(`Unexpected operator ${token.raw.toUpperCase()}`);
  };

  if (tokens.length === 0) throw searchTermTooShort(searchText);
  const expression = parseOr();
  if (position < tokens.length) throw malformed("Unexpected ')'");
  return expression;
}

function searchTermTooShort(searchText: string): SalesforceApiError {
  return new SalesforceApiError(
    400,
    'INVALID_SEARCH',
    `search term must be longer than one character: ${searchText}`,
  );
}

export function termsOf(expression: SearchExpression): SearchTerm[] {
  if (expression.kind === 'term') return [expression];
  return [...termsOf(expression.left), ...termsOf(expression.right)];
}

/** Salesforce rejects searches with fewer than two searchable characters (wildcards don't count). */
export function checkSearchLength(searchText: string, expression: SearchExpression): void {
  let characters = 0;
  for (const term of termsOf(expression)) {
    for (const character of term.text) {
      if (character !== WILDCARD_ANY && character !== WILDCARD_ONE && !/\s/.test(character)) characters++;
    }
  }
  if (characters < 2) throw searchTermTooShort(searchText.trim());
}

// ---------------------------------------------------------------------------------------------
// The clauses around it
// ---------------------------------------------------------------------------------------------

interface ClauseToken {
  type: 'word' | 'number' | 'string' | 'symbol';
  value: string;
  start: number;
  end: number;
}

function lexClauses(text: string, from: number): ClauseToken[] {
  const tokens: ClauseToken[] = [];
  let index = from;
  while (index < text.length) {
    const character = text[index];
    if (/\s/.test(character)) {
      index++;
      continue;
    }
    const start = index;
    if (/[A-Za-z_]/.test(character)) {
      while (index < text.length && /[A-Za-z0-9_.]/.test(text[index])) index++;
      tokens.push({ type: 'word', value: text.slice(start, index), start, end: index });
    } else if (/[0-9]/.test(character)) {
      while (index < text.length && /[0-9.]/.test(text[index])) index++;
      tokens.push({ type: 'number', value: text.slice(start, index), start, end: index });
    } else if (character === "'") {
      index++;
      while (index < text.length && text[index] !== "'") index += text[index] === '\\' ? 2 : 1;
      if (index >= text.length)
        throw malformedSearch(positionedMessage(text, start, 'unterminated string literal'));
      index++;
      tokens.push({ type: 'string', value: text.slice(start, index), start, end: index });
    } else {
      index++;
      tokens.push({ type: 'symbol', value: character, start, end: index });
    }
  }
  return tokens;
}

const SEARCH_GROUPS: Record<string, SearchScope> = {
  ALL: 'ALL',
  NAME: 'NAME',
  EMAIL: 'EMAIL',
  PHONE: 'PHONE',
  SIDEBAR: 'ALL',
};

/** Finds the end of the braces: the first `}` that is neither escaped nor inside a quoted phrase. */
function closingBrace(text: string, open: number): number {
  let inQuotes = false;
  for (let index = open + 1; index < text.length; index++) {
    const character = text[index];
    if (character === '\\') index++;
    else if (character === '"') inQuotes = !inQuotes;
    else if (character === '}' && !inQuotes) return index;
  }
  return -1;
}

/** Parses a SOSL statement. Keywords are case-insensitive. */
export function parseSosl(text: string): SoslQuery {
  const findMatch = /^\s*find\s*\{/i.exec(text);
  if (!findMatch) throw malformedSearch(NO_SEARCH_TERM_MESSAGE);
  const open = findMatch[0].length - 1;
  const close = closingBrace(text, open);
  if (close < 0) throw malformedSearch(NO_SEARCH_TERM_MESSAGE);
  const searchText = text.slice(open + 1, close);
  const expression = parseSearchExpression(searchText);
  checkSearchLength(searchText, expression);

  const tokens = lexClauses(text, close + 1);
  let position = 0;
  const peekWord = (offset = 0): string | undefined => {
    const token = tokens[position + offset];
    return token?.type === 'word' ? token.value.toUpperCase() : undefined;
  };
  const unexpected = (token: ClauseToken | undefined): SalesforceApiError =>
    token
      ? malformedSearch(positionedMessage(text, token.start, `unexpected token: '${token.value}'`))
      : malformedSearch(positionedMessage(text, text.length, 'unexpected end of query'));
  const integer = (): number => {
    const token = tokens[position];
    if (token?.type !== 'number' || !/^\d+$/.test(token.value)) throw unexpected(token);
    position++;
    return Number(token.value);
  };

  let scope: SearchScope = 'ALL';
  let returning: ReturningSpec[] | undefined;
  let limit: number | undefined;
  while (position < tokens.length) {
    const keyword = peekWord();
    if (keyword === 'IN' && returning === undefined) {
      const group = peekWord(1);
      const groupScope = group ? SEARCH_GROUPS[group] : undefined;
      if (!groupScope || peekWord(2) !== 'FIELDS') throw unexpected(tokens[position + 1]);
      scope = groupScope;
      position += 3;
    } else if (keyword === 'RETURNING' && returning === undefined) {
      position++;
      returning = [];
      for (;;) {
        const parsed = parseReturningItem(text, tokens, position, unexpected);
        returning.push(parsed.spec);
        position = parsed.next;
        if (tokens[position]?.value !== ',') break;
        position++;
      }
    } else if (keyword === 'WITH') {
      // WITH DIVISION / DATA CATEGORY / SNIPPET / NETWORK / PricebookId / METADATA / HIGHLIGHT /
      // SPELL_CORRECTION: accepted and ignored (the emulator has none of these features).
      position++;
      let depth = 0;
      while (position < tokens.length) {
        const token = tokens[position];
        const word = peekWord();
        if (depth === 0 && (word === 'WITH' || word === 'LIMIT' || word === 'UPDATE')) break;
        if (token.value === '(') depth++;
        if (token.value === ')') depth--;
        position++;
      }
    } else if (keyword === 'LIMIT' && limit === undefined) {
      position++;
      limit = integer();
    } else if (keyword === 'UPDATE') {
      // UPDATE TRACKING / UPDATE VIEWSTAT: search statistics, meaningless here.
      position++;
      while (peekWord() === 'TRACKING' || peekWord() === 'VIEWSTAT' || tokens[position]?.value === ',')
        position++;
    } else {
      throw unexpected(tokens[position]);
    }
  }
  return { text, searchText, expression, scope, returning, limit };
}

const CLAUSE_KEYWORDS = new Set(['WHERE', 'ORDER', 'LIMIT', 'OFFSET', 'USING', 'WITH']);

function parseReturningItem(
  text: string,
  tokens: ClauseToken[],
  start: number,
  unexpected: (token: ClauseToken | undefined) => SalesforceApiError,
): { spec: ReturningSpec; next: number } {
  let position = start;
  const nameToken = tokens[position];
  if (nameToken?.type !== 'word') throw unexpected(nameToken);
  position++;
  const spec: ReturningSpec = { objectName: nameToken.value, fields: [], position: nameToken.start };
  if (tokens[position]?.value !== '(') return { spec, next: position };
  position++;

  const isClauseStart = (index: number): boolean => {
    const token = tokens[index];
    if (token?.type !== 'word') return false;
    const word = token.value.toUpperCase();
    if (word === 'ORDER') return tokens[index + 1]?.value.toUpperCase() === 'BY';
    return CLAUSE_KEYWORDS.has(word);
  };
  /** Raw text from `position` up to the next clause keyword or the closing parenthesis at depth 0. */
  const captureUntilClause = (): { raw: string; commas: number[] } => {
    const from = position;
    const commas: number[] = [];
    let depth = 0;
    while (position < tokens.length) {
      const token = tokens[position];
      if (depth === 0 && (token.value === ')' || isClauseStart(position))) break;
      if (token.value === '(') depth++;
      if (token.value === ')') depth--;
      if (depth === 0 && token.value === ',') commas.push(token.start);
      position++;
    }
    if (position >= tokens.length) throw unexpected(undefined);
    if (position === from) throw unexpected(tokens[position]);
    return { raw: text.slice(tokens[from].start, tokens[position - 1].end), commas };
  };

  if (!isClauseStart(position)) {
    const fieldsStart = tokens[position]?.start ?? text.length;
    const { raw, commas } = captureUntilClause();
    let fieldStart = 0;
    for (const comma of [...commas.map((offset) => offset - fieldsStart), raw.length]) {
      const field = raw.slice(fieldStart, comma).trim();
      if (field === '') throw unexpected(tokens[position]);
      spec.fields.push(field);
      fieldStart = comma + 1;
    }
  }
  while (tokens[position]?.value !== ')') {
    const word = tokens[position]?.value.toUpperCase();
    if (word === 'WHERE' && spec.where === undefined) {
      position++;
      spec.where = captureUntilClause().raw;
    } else if (word === 'ORDER' && spec.orderBy === undefined) {
      position += 2;
      spec.orderBy = captureUntilClause().raw;
    } else if (
      (word === 'LIMIT' || word === 'OFFSET') &&
      spec[word === 'LIMIT' ? 'limit' : 'offset'] === undefined
    ) {
      position++;
      const token = tokens[position];
      if (token?.type !== 'number' || !/^\d+$/.test(token.value)) throw unexpected(token);
      position++;
      if (word === 'LIMIT') spec.limit = Number(token.value);
      else spec.offset = Number(token.value);
    } else if (word === 'USING' || word === 'WITH') {
      // USING ListView=… / WITH …: accepted and ignored.
      position++;
      captureUntilClause();
    } else {
      throw unexpected(tokens[position]);
    }
  }
  position++;
  return { spec, next: position };
}
