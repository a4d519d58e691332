// What `doctor` shows besides the Engine's results: its check groups (for --check and the help)
// and the words of each result. Apart from index.ts, so only `doctor` loads the checks.
export {CHECK_GROUPS, formatResult, toReport} from '../system/doctor/runner'
