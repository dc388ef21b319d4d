export { createLineIndex, type LineIndex, type Position } from './line-index.js';
export {
  DEFAULT_MAX_PARSE_LENGTH,
  type Language,
  languageOf,
  type ParseErrorInfo,
  type ParseFailure,
  type ParseFailureReason,
  type ParseOptions,
  type ParseResult,
  type ParseSuccess,
  parseSource,
  type SourceType,
} from './parse-source.js';
export {
  DEFAULT_MAX_TOKENS,
  type Token,
  type TokenizeOptions,
  type TokenizeResult,
  type TokenType,
  tokenize,
} from './tokenize.js';
