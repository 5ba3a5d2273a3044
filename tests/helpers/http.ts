/** Response bodies in tests are whatever the API sent: read them untyped and assert on them. */
export async function readJson(res: Response): Promise<any> {
  return res.json();
}
