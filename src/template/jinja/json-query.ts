/**
 * community.general's `json_query` filter: a JMESPath expression over a value, as the filter
 * calls the Python jmespath library (jmespath.search). quorum uses jmespath.js, the reference
 * implementation of the same specification, held to Python's jmespath 1.0.1 (Debian 12 and 13)
 * by test/template/json-query.test.ts. An expression that does not parse, or a function given
 * the wrong types, is the filter's error with jmespath's words, as in Ansible.
 */
import jmespath from 'jmespath';
import { FilterError } from './filter-error.ts';

export function jsonQuery(value: unknown, expression: unknown): unknown {
  if (typeof expression !== 'string') throw new FilterError('json_query: the expression must be text');
  try {
    return jmespath.search(value, expression) ?? null;
  } catch (e) {
    throw new FilterError(`JMESPathError in json_query filter plugin:\n${(e as Error).message}`);
  }
}
