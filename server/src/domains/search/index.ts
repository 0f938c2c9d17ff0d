export { SearchService, type SearchResult } from './search.service.js';
export { SearchStore } from './search.store.js';
export { searchCollection, BLOCK_SIZE, INDEX_SHARDS } from './search.model.js';
export { messageTokens, parseQuery, matches, words, normalize } from './search.tokens.js';
