// Registry words a front end needs: the idle timeout its pull flags pass on, and the duration
// text of its stall warnings.
export {registryIdleTimeoutMs} from '../storage/image/config/registry-idle-timeout'
export {formatDuration} from '../storage/image/transports/docker/http-request'
