/** A synthetic introspection document with many members, for scaling tests and benches. */

/** `n` methods, `n / 4` signals and `n / 4` properties in one interface. */
export function syntheticXml(n: number): string {
  const parts: string[] = ['<node>\n  <interface name="org.example.Big1">\n'];
  for (let i = 0; i < n; i++) {
    parts.push(
      `    <method name="Method${i}"><arg name="a" type="s" direction="in"/><arg name="r" type="u" direction="out"/></method>\n`,
    );
  }
  for (let i = 0; i < n / 4; i++) {
    parts.push(`    <signal name="Changed${i}"><arg name="v" type="a{sv}"/></signal>\n`);
    parts.push(`    <property name="Prop${i}" type="(ii)" access="readwrite"/>\n`);
  }
  parts.push('  </interface>\n</node>\n');
  return parts.join('');
}
