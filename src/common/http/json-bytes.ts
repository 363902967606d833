/**
 * `Buffer.from(JSON.stringify(value))`, byte for byte, made without the whole answer ever being one string: the
 * elements of the object's arrays (a thread page's comments) are serialised one by one and written into one buffer.
 * A half-megabyte string lands in V8's large-object space and costs a full collection's share each time; a few
 * kilobytes per element die young, and the buffer lives outside the heap.
 */
export function jsonBytes(value: object): Buffer {
  if (Array.isArray(value) || typeof (value as { toJSON?: unknown }).toJSON === 'function')
    return Buffer.from(JSON.stringify(value));
  const parts: string[] = [];
  let opener = '{';
  for (const [key, field] of Object.entries(value)) {
    if (Array.isArray(field) && field.length > 1) {
      parts.push(`${opener}${JSON.stringify(key)}:[`);
      // JSON.stringify writes `null` for an element it cannot serialise (undefined, a function).
      for (let i = 0; i < field.length; i++) parts.push(`${i === 0 ? '' : ','}${JSON.stringify(field[i]) ?? 'null'}`);
      parts.push(']');
    } else {
      const json = JSON.stringify(field) as string | undefined;
      // A field JSON.stringify leaves out (undefined, a function).
      if (json === undefined) continue;
      parts.push(`${opener}${JSON.stringify(key)}:${json}`);
    }
    opener = ',';
  }
  parts.push(opener === '{' ? '{}' : '}');
  let length = 0;
  for (const part of parts) length += Buffer.byteLength(part);
  const bytes = Buffer.allocUnsafe(length);
  let offset = 0;
  for (const part of parts) offset += bytes.write(part, offset);
  return bytes;
}
