/** Python literals for values the templates embed. */

/** A Python literal for a string, number, boolean, null or array (a tuple); strings are always double-quoted ASCII. */
export function pythonLiteral(value: unknown): string {
  if (value === null || value === undefined) return "None";
  if (Array.isArray(value)) return `(${value.map(pythonLiteral).join(", ")}${value.length === 1 ? "," : ""})`;
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`cannot write ${value} as Python`);
    return String(value);
  }
  if (typeof value === "string") return pythonString(value);
  throw new Error(`cannot write a ${typeof value} as a Python literal`);
}

function pythonString(text: string): string {
  let out = '"';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (char === '"' || char === "\\") out += `\\${char}`;
    else if (char === "\n") out += "\\n";
    else if (char === "\r") out += "\\r";
    else if (char === "\t") out += "\\t";
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else if (code > 0x7e) out += code > 0xffff ? `\\U${code.toString(16).padStart(8, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
    else out += char;
  }
  return `${out}"`;
}

/** `import os`, or `import uos as os` where the firmware names the module differently. */
export function pythonImport(module: string, name: string): string {
  return module === name ? `import ${name}` : `import ${module} as ${name}`;
}
