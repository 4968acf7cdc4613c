import './lab-ssh.suite.ts';
