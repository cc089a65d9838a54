/**
 * Test support for the Experience APIs (`@bartholomew/experience-kit/testing`): a Process API port
 * double that refuses every call with one code of the Process API's contract, what an Experience
 * API must answer for each, and the walk both APIs' process-refusals specs run; a recorder of the
 * calls made through a port.
 */
export { refusalMismatches, refusalWalk, RefusingProcess, type ExpectedAnswer, type RouteCall, type SendAsUser } from './refusing-process';
export { recordingProcess } from './recording-process';
