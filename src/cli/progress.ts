/**
 * Build progress for people: a bar on a terminal, a line every few seconds otherwise
 * (CI logs, pipes), so long builds show they are alive without flooding a log.
 */
import cliProgress from 'cli-progress'
import type { BuildProgress } from '../index/build-index.js'

export interface ProgressReporter {
  update: (progress: BuildProgress) => void
  stop: () => void
}

const LINE_INTERVAL_MS = 5000

export function createProgressReporter (stream: NodeJS.WriteStream = process.stderr): ProgressReporter {
  return stream.isTTY === true ? barReporter(stream) : lineReporter(stream)
}

function barReporter (stream: NodeJS.WriteStream): ProgressReporter {
  const bar = new cliProgress.SingleBar({
    stream,
    format: 'indexing [{bar}] {percentage}% | {mb}/{totalMb} MB | {indexed} documents, {skipped} skipped | {duration_formatted}',
    hideCursor: true
  }, cliProgress.Presets.shades_classic)
  let started = false
  return {
    update (progress) {
      const payload = payload_(progress)
      if (!started) {
        bar.start(Math.max(progress.bytesTotal, 1), 0, payload)
        started = true
      }
      bar.update(Math.min(progress.bytesRead, progress.bytesTotal), payload)
    },
    stop () {
      if (started) bar.stop()
    }
  }
}

function lineReporter (stream: NodeJS.WriteStream): ProgressReporter {
  let last = Date.now()
  return {
    update (progress) {
      const now = Date.now()
      // The closing summary reports the end; lines only show that a long build is alive.
      if (now - last < LINE_INTERVAL_MS) return
      last = now
      const { mb, totalMb, indexed, skipped } = payload_(progress)
      const percent = progress.bytesTotal === 0 ? 100 : Math.floor(100 * progress.bytesRead / progress.bytesTotal)
      stream.write(`indexing: ${percent}% (${mb}/${totalMb} MB), ${indexed} documents, ${skipped} skipped\n`)
    },
    stop () {}
  }
}

function payload_ (progress: BuildProgress): { mb: string, totalMb: string, indexed: number, skipped: number } {
  return {
    mb: (progress.bytesRead / 1e6).toFixed(1),
    totalMb: (progress.bytesTotal / 1e6).toFixed(1),
    indexed: progress.indexed,
    skipped: progress.skipped
  }
}
