import './lab-cluster.suite.ts';
import './lab-cluster-recovery.suite.ts';
