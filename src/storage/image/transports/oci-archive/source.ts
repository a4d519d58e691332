// An image in an oci-archive as an ImageSource: the archive is unpacked into a temporary
// directory (under the reference's tmpDir), read as an OCI layout, and removed on close().
import {existsSync} from 'node:fs'
import {mkdtemp, rm, stat} from 'node:fs/promises'
import * as path from 'node:path'

import {TspodError, wrap} from '../../../../errors'
import {INDEX_FILE} from '../oci-layout/layout'
import {OciLayoutSource} from '../oci-layout/source'
import {ImageContext} from '../types'
import {extractOciArchive} from './extract'
import type {OciArchiveReference} from './transport'

export async function openOciArchiveSource(reference: OciArchiveReference, ctx: ImageContext): Promise<OciLayoutSource> {
  try {
    await stat(reference.file)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new TspodError(`archive file not found: ${JSON.stringify(reference.file)}`, {code: 'ENOENT', path: reference.file, cause: err})
    }
    throw wrap(err, `opening oci-archive ${reference.file}`)
  }
  let dir: string
  try {
    dir = await mkdtemp(path.join(reference.tmpDir, 'oci-archive-'))
  } catch (err) {
    throw wrap(err, 'creating temp directory')
  }
  const removeDir = (): Promise<void> => rm(dir, {recursive: true, force: true})
  try {
    await extractOciArchive(reference.file, dir, ctx.signal)
    if (!existsSync(path.join(dir, INDEX_FILE))) throw new TspodError(`oci-archive ${reference.file} holds no OCI layout: it has no ${INDEX_FILE}`)
    return await OciLayoutSource.open({
      reference,
      dir,
      image: reference.image,
      sourceIndex: reference.sourceIndex,
      ctx,
      onClose: removeDir,
    })
  } catch (err) {
    await removeDir()
    throw err
  }
}
