"""Evaluate cases with ansible-core's own templating, for quorum's Jinja2 differential tests.

stdin: JSON list of {kind: value|cond|file, src, vars}; stdout: JSON list of {ok} or {error}.
"""
import json
import sys

from ansible.parsing.dataloader import DataLoader
from ansible.playbook.conditional import Conditional
from ansible.template import Templar

try:  # ansible-core 2.15+: plugins by FQCN need the collection loader installed first
    from ansible.plugins.loader import init_plugin_loader
    init_plugin_loader([])
except ImportError:
    pass

try:  # ansible-core 2.19+: only strings marked trusted are templates; conditionals on the Templar
    from ansible.template import trust_as_template
except ImportError:
    trust_as_template = None



def trusted(value):
    """Vars as a role's files give them to 2.19: every string a template, rendered when used."""
    if isinstance(value, str):
        return trust_as_template(value)
    if isinstance(value, dict):
        return {k: trusted(v) for k, v in value.items()}
    if isinstance(value, list):
        return [trusted(v) for v in value]
    return value


loader = DataLoader()
out = []
for case in json.load(sys.stdin):
    variables = case.get('vars', {})
    if trust_as_template is not None:
        variables = trusted(variables)
    templar = Templar(loader=loader, variables=variables)
    try:
        if trust_as_template is not None:
            src = trust_as_template(case['src'])
            if case['kind'] == 'cond':
                result = templar.evaluate_conditional(src)
            else:
                # a template file is rendered as the template action renders it: backslashes not escaped
                result = templar.template(src, escape_backslashes=case['kind'] != 'file')
        elif case['kind'] == 'cond':
            conditional = Conditional(loader=loader)
            conditional.when = [case['src']]
            result = conditional.evaluate_conditional(templar, variables)
        else:
            result = templar.template(case['src'], escape_backslashes=case['kind'] != 'file')
        out.append({'ok': json.loads(json.dumps(result, default=str))})
    except Exception as e:  # every failure is data for the comparison
        message = str(e)
        undefined = 'is undefined' in message or 'has no attribute' in message or type(e).__name__ == 'AnsibleUndefinedVariable'
        kind = 'undefined' if undefined else type(e).__name__
        out.append({'error': kind, 'message': message.split('\n')[0][:300]})
print(json.dumps(out))
