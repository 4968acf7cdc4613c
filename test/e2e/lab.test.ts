// The lab suites share one set of namespaces, so they run one after the other in this file
// (vitest runs different files in parallel).
import './lab-ssh.suite.ts';
import './lab-lb.suite.ts';
import './lab-keeper.suite.ts';
import './lab-become.suite.ts';
import './lab-facts.suite.ts';
import './lab-cluster.suite.ts';
import './lab-cluster-gateway.suite.ts';
import './lab-cluster-recovery.suite.ts';
import './lab-cluster-day2.suite.ts';
import './lab-cluster-upgrade.suite.ts';
import './lab-shard.suite.ts';
import './lab-reset.suite.ts';
// last: it makes the lab anew, and its ansible-playbook runs take the cores the Node 24 unit
// pass of .ci/run (beside this file) has given back by then
import './lab-public-roles.suite.ts';
