// The entries of a tar file, with their bodies as text.
import * as fs from 'node:fs'
import * as tar from 'tar-stream'

export async function tarEntries(file: string): Promise<{name: string; type: string; uid: number; gid: number; mode: number; body: string; linkname?: string}[]> {
  const extract = tar.extract()
  const out: {name: string; type: string; uid: number; gid: number; mode: number; body: string; linkname?: string}[] = []
  extract.on('entry', (h, stream, next) => {
    let body = ''
    stream.on('data', (d) => void (body += String(d)))
    stream.on('end', () => {
      out.push({name: h.name, type: h.type ?? '', uid: h.uid ?? 0, gid: h.gid ?? 0, mode: h.mode ?? 0, body, linkname: h.linkname ?? undefined})
      next()
    })
  })
  const done = new Promise<void>((resolve, reject) => extract.on('finish', resolve).on('error', reject))
  fs.createReadStream(file).pipe(extract)
  await done
  return out
}

