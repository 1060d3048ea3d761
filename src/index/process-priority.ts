/**
 * A rebuild runs beside the server it rebuilds for, on the same cores: at the server's own
 * priority its analysis threads took their full share of the CPU, and a load balancer's
 * probe of /health waited up to 300 ms while an 800,000-article archive was rebuilt. The
 * build's process lowers its own priority, so the server's threads run first whenever they
 * have work, and the build takes what the server leaves.
 *
 * On Linux a priority (nice value) belongs to a thread, not to the process, and a thread
 * starts with the priority of the thread that started it: the threads that exist are lowered
 * one by one (V8's and libuv's, started before the build's code runs), and the build's
 * worker threads, started later by the main thread, inherit its lowered priority.
 */
import { readdirSync } from 'node:fs'
import { getPriority, setPriority } from 'node:os'

/** How much lower than the server a rebuild runs (nice values go from -20, first, to 19, last). */
export const REBUILD_NICENESS = 10
const LOWEST_PRIORITY = 19

/** The nice value a build started by this process should run at: REBUILD_NICENESS below this process's own. */
export function rebuildPriority (): number {
  return Math.min(LOWEST_PRIORITY, getPriority() + REBUILD_NICENESS)
}

/**
 * Sets every thread of this process to `priority` (a nice value), or the process where
 * threads have no priority of their own. Only lowers: raising needs privileges the server
 * should not have, and a build is never meant to outrank it.
 */
export function lowerOwnPriority (priority: number): void {
  for (const thread of ownThreads()) {
    try {
      if (getPriority(thread) < priority) setPriority(thread, priority)
    } catch {
      // The thread ended between the listing and the call.
    }
  }
}

/** Thread ids on Linux (/proc/self/task); elsewhere 0, which names the calling process. */
function ownThreads (): number[] {
  try {
    return readdirSync('/proc/self/task').map(Number)
  } catch {
    return [0]
  }
}
