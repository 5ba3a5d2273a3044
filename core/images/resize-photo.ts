import sharp from 'sharp';

/** Claude's vision works best at about this long edge; bigger images are only slower and dearer. */
export const MAX_LONG_EDGE_PX = 1568;

export interface PreparedPhoto {
  data: Buffer;
  mediaType: 'image/jpeg';
}

/**
 * A downloaded photo made ready for the classifier: EXIF orientation applied, at most 1,568 px on the
 * long edge (never enlarged), re-encoded as JPEG. Throws on data that is not an image.
 */
export async function resizePhoto(
  input: Buffer,
  options: { maxLongEdge?: number; quality?: number } = {},
): Promise<PreparedPhoto> {
  const max = options.maxLongEdge ?? MAX_LONG_EDGE_PX;
  const data = await sharp(input, { failOn: 'error', limitInputPixels: 100_000_000 })
    .rotate()
    .resize({ width: max, height: max, fit: 'inside', withoutEnlargement: true })
    .flatten({ background: '#ffffff' })
    // not mozjpeg: its trellis search takes about a second per phone photo (30× the plain encoder) for
    // a few percent fewer bytes on a one-off upload, and every photo proposal waits for it
    .jpeg({ quality: options.quality ?? 82 })
    .toBuffer();
  return { data, mediaType: 'image/jpeg' };
}
