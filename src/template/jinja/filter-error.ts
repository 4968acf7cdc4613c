/** Bad input to a filter, test or lookup: shown as the template's error, at its place. */
export class FilterError extends Error {}

/**
 * A lookup that failed on the controller's state at that moment (a file not there yet, a command
 * that failed): not bad input. An earlier task of the run may make the file, so validate does not
 * refuse the task for it; where it still fails when the task runs, the task fails there, as in
 * Ansible (ignore_errors and a rescue see it).
 */
export class ControllerStateError extends FilterError {}
