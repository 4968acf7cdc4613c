"""Stdout callback for quorum's differential tests: one JSON list of task results at the end.

Each result: host, role, task name, status (ok, changed, skipped, failed, unreachable), message.
Test data only; ansible-core 2.14 has no JSON callback of its own (it lives in a collection).
"""
import json

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'stdout'
    CALLBACK_NAME = 'quorum_results'

    def __init__(self):
        super().__init__()
        self.results = []

    def _add(self, result, status):
        task = result._task
        role = task._role.get_name() if task._role else None
        message = result._result.get('msg', '') if status == 'failed' else ''
        self.results.append({
            'host': result._host.get_name(),
            'role': role,
            'task': task.get_name(),
            'action': task.action,
            'status': status,
            'message': str(message)[:300],
        })

    def v2_runner_on_ok(self, result):
        self._add(result, 'changed' if result._result.get('changed') else 'ok')

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._add(result, 'ignored' if ignore_errors else 'failed')

    def v2_runner_on_skipped(self, result):
        self._add(result, 'skipped')

    def v2_runner_on_unreachable(self, result):
        self._add(result, 'unreachable')

    def v2_playbook_on_stats(self, stats):
        print(json.dumps(self.results))
