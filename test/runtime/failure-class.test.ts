// The facts a container start reports (the child's step and errno, a runtime's message) and the
// class each is.
import test from 'ava'

import type {ErrorClass} from '../../src/errors'
import {startFailureClass} from '../../src/runtime/failure-class'

test("the child's and exec helper's steps: a missing program is NotFound, one that cannot run or a bad cwd CannotInvoke, the rest EngineError", (t) => {
  t.is(startFailureClass({step: 'exec', code: 'ENOENT'}), 'NotFound')
  t.is(startFailureClass({step: 'exec', code: 'ENOTDIR'}), 'NotFound')
  t.is(startFailureClass({step: 'exec-interpreter', code: 'ENOENT'}), 'NotFound')
  for (const code of ['EACCES', 'EPERM', 'EISDIR', 'ENOEXEC', 'E2BIG']) t.is(startFailureClass({step: 'exec', code}), 'CannotInvoke', code)
  for (const step of ['chdir', 'chdir-magic-link', 'chdir-outside-root']) t.is(startFailureClass({step, code: 'ENOENT'}), 'CannotInvoke', step)
  for (const step of ['mount overlay to `/m`', 'setresuid', 'setns', 'seccomp', 'pivot_root', 'exec helper', 'stdio'])
    t.is(startFailureClass({step, code: 'EPERM'}), 'EngineError', step)
})

test("crun's and runc's messages: the program's failures by Podman's rule, anything before it EngineError", (t) => {
  const cases: [string, ErrorClass][] = [
    ['executable file `nosuch` not found in $PATH: No such file or directory', 'NotFound'],
    ['cannot find `nosuch` in $PATH', 'CannotInvoke'],
    ['open executable: Operation not permitted', 'CannotInvoke'],
    ['open executable: Too many levels of symbolic links', 'NotFound'],
    ['the path `/etc` is not a regular file', 'CannotInvoke'],
    ['exec container process `/script`: No such file or directory', 'NotFound'],
    ['exec container process `/noexec`: Permission denied', 'CannotInvoke'],
    ['chdir to `/nosuch`: No such file or directory', 'CannotInvoke'],
    ['runc run failed: unable to start container process: exec: "nosuch": executable file not found in $PATH', 'NotFound'],
    ['runc run failed: unable to start container process: exec: "/etc": is a directory', 'CannotInvoke'],
    ['runc run failed: unable to start container process: error during container init: chdir to cwd ("/nosuch") set in config.json failed: no such file or directory', 'CannotInvoke'],
    ['make `/m` private: Permission denied', 'EngineError'],
    ['mount `proc` to `/proc`: Operation not permitted', 'EngineError'],
  ]
  for (const [runtimeMessage, expected] of cases) t.is(startFailureClass({runtimeMessage}), expected, runtimeMessage)
})
