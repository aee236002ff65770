/** Static evaluation: reads values out of the config's syntax tree without running any of it. */
import {
  Node,
  SyntaxKind,
  VariableDeclarationKind,
  type CallExpression,
  type Expression,
  type ObjectLiteralElementLike,
  type ObjectLiteralExpression,
  type PrefixUnaryExpression,
  type TemplateExpression,
} from "ts-morph";
import { error, type Issue, type Span } from "./issue.js";
import { genOtaImportOf, isImported } from "./imports.js";
import { respan, type StaticArray, type StaticObject, type StaticProperty, type StaticValue } from "./static-value.js";

/** The values of a config file's expressions, and the 0004 issues met on the way. */
export class Evaluator {
  /** Problems found so far; each non-static expression is reported once, where it is met. */
  readonly issues: Issue[] = [];
  private readonly inProgress = new Set<Node>();

  /** The static value of an expression; `dynamic` (and an issue) where it cannot be read. */
  evaluate(node: Expression): StaticValue {
    const span = spanOf(node);
    if (
      Node.isParenthesizedExpression(node) ||
      Node.isAsExpression(node) ||
      Node.isSatisfiesExpression(node) ||
      Node.isTypeAssertion(node) ||
      Node.isNonNullExpression(node)
    ) {
      const inner = this.evaluate(node.getExpression());
      return inner.kind === "object" ? { ...inner, extent: span } : inner;
    }
    if (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node)) {
      return { kind: "string", value: node.getLiteralValue(), span };
    }
    if (Node.isNumericLiteral(node)) return { kind: "number", value: node.getLiteralValue(), span };
    if (Node.isTrueLiteral(node) || Node.isFalseLiteral(node)) {
      return { kind: "boolean", value: node.getLiteralValue(), span };
    }
    if (Node.isNullLiteral(node)) return { kind: "null", span };
    if (Node.isPrefixUnaryExpression(node)) return this.signedNumber(node);
    if (Node.isTemplateExpression(node)) return this.template(node);
    if (Node.isIdentifier(node)) return this.reference(node, span);
    if (Node.isArrayLiteralExpression(node)) return this.array(node.getElements(), span);
    if (Node.isObjectLiteralExpression(node)) return this.object(node);
    if (Node.isCallExpression(node)) return this.call(node);
    if ((Node.isPropertyAccessExpression(node) || Node.isElementAccessExpression(node)) && !readsLocalConst(node)) {
      return this.notStatic(node);
    }
    if (Node.isPropertyAccessExpression(node)) return this.member(node, node.getExpression(), node.getName());
    if (Node.isElementAccessExpression(node)) {
      const argument = node.getArgumentExpression();
      const key = argument === undefined ? undefined : this.evaluate(argument);
      if (key?.kind === "string" || key?.kind === "number") return this.member(node, node.getExpression(), key.value);
      if (key?.kind === "dynamic") return key;
    }
    return this.notStatic(node);
  }

  /** Reports `node` as not static (0004) and stands in a `dynamic` value for it. */
  notStatic(node: Node, hint: string = staticHint(node)): StaticValue {
    const span = spanOf(node);
    this.issues.push(
      error(
        "GEN_OTA_0004",
        `${snippet(node)} must be static: gen-ota reads ota.config.ts without running it`,
        span,
        hint,
      ),
    );
    return { kind: "dynamic", span };
  }

  private signedNumber(node: PrefixUnaryExpression): StaticValue {
    const operator = node.getOperatorToken();
    if (operator !== SyntaxKind.MinusToken && operator !== SyntaxKind.PlusToken) return this.notStatic(node);
    const operand = this.evaluate(node.getOperand());
    if (operand.kind === "number") {
      return {
        kind: "number",
        value: operator === SyntaxKind.MinusToken ? -operand.value : operand.value,
        span: spanOf(node),
      };
    }
    return operand.kind === "dynamic" ? operand : this.notStatic(node);
  }

  /** `${...}` substitutions of static strings, numbers and booleans are read too. */
  private template(node: TemplateExpression): StaticValue {
    let text = node.getHead().getLiteralText();
    for (const part of node.getTemplateSpans()) {
      const value = this.evaluate(part.getExpression());
      if (value.kind === "dynamic") return value;
      if (value.kind !== "string" && value.kind !== "number" && value.kind !== "boolean") {
        return this.notStatic(part.getExpression(), "only strings, numbers and booleans can be put into a template");
      }
      text += String(value.value) + part.getLiteral().getLiteralText();
    }
    return { kind: "string", value: text, span: spanOf(node) };
  }

  private reference(identifier: Node, span: Span): StaticValue {
    if (identifier.getText() === "undefined") return { kind: "undefined", span };
    const declaration = identifier.getSymbol()?.getDeclarations()[0];
    if (declaration === undefined)
      return this.notStatic(identifier, "no const of this name is declared in ota.config.ts");
    return this.evaluateDeclaration(identifier, declaration, span);
  }

  /** The value of a name used at `use`, given its declaration: only `const name = <static>` in this file. */
  evaluateDeclaration(use: Node, declaration: Node, span: Span = spanOf(use)): StaticValue {
    if (isImported(declaration)) {
      return this.notStatic(
        use,
        "imported values can't be read without running them; declare it as a const in ota.config.ts",
      );
    }
    if (!Node.isVariableDeclaration(declaration) || declaration.getSourceFile() !== use.getSourceFile())
      return this.notStatic(use);
    const list = declaration.getParent();
    const initializer = declaration.getInitializer();
    if (!Node.isVariableDeclarationList(list) || list.getDeclarationKind() !== VariableDeclarationKind.Const) {
      return this.notStatic(use, "declare it with const: gen-ota reads only const values");
    }
    if (initializer === undefined || !Node.isIdentifier(declaration.getNameNode())) return this.notStatic(use);
    if (this.inProgress.has(declaration)) return this.notStatic(use, "this const refers to itself");
    this.inProgress.add(declaration);
    try {
      return respan(this.evaluate(initializer), span);
    } finally {
      this.inProgress.delete(declaration);
    }
  }

  private array(elements: Expression[], span: Span): StaticArray {
    const items: StaticValue[] = [];
    for (const element of elements) {
      if (!Node.isSpreadElement(element)) {
        items.push(
          Node.isOmittedExpression(element) ? this.notStatic(element, "remove the empty slot") : this.evaluate(element),
        );
        continue;
      }
      const spread = this.evaluate(element.getExpression());
      if (spread.kind === "array") items.push(...spread.items);
      else if (spread.kind === "dynamic") items.push(spread);
      else items.push(this.notStatic(element, "only a list can be spread into a list"));
    }
    return { kind: "array", items, span };
  }

  private object(node: ObjectLiteralExpression): StaticObject {
    const result: StaticObject = { kind: "object", properties: [], open: false, span: spanOf(node) };
    const written = new Set<string>();
    for (const member of node.getProperties()) {
      if (Node.isSpreadAssignment(member)) {
        const spread = this.evaluate(member.getExpression());
        if (spread.kind === "object") {
          for (const inherited of spread.properties) setProperty(result, inherited);
          result.open ||= spread.open;
        } else {
          if (spread.kind !== "dynamic") this.notStatic(member, "only an object can be spread into an object");
          result.open = true;
        }
        continue;
      }
      const key = this.propertyKey(member);
      if (key === undefined) continue;
      const value = Node.isPropertyAssignment(member)
        ? this.evaluate(member.getInitializerOrThrow())
        : this.shorthand(member);
      const entry: StaticProperty = { key: key.name, keySpan: key.span, span: spanOf(member), value };
      if (written.has(key.name)) {
        this.issues.push(
          error(
            "GEN_OTA_0105",
            `duplicate key '${key.name}': the later one wins`,
            key.span,
            "remove one of them",
            entry.span,
          ),
        );
      }
      written.add(key.name);
      setProperty(result, entry);
    }
    return result;
  }

  private shorthand(member: ObjectLiteralElementLike): StaticValue {
    if (!Node.isShorthandPropertyAssignment(member)) return this.notStatic(member);
    const declaration = member.getValueSymbol()?.getDeclarations()[0];
    const name = member.getNameNode();
    if (declaration === undefined) return this.notStatic(name, "no const of this name is declared in ota.config.ts");
    return this.evaluateDeclaration(name, declaration, spanOf(name));
  }

  private propertyKey(member: ObjectLiteralElementLike): { name: string; span: Span } | undefined {
    if (!Node.isPropertyAssignment(member) && !Node.isShorthandPropertyAssignment(member)) {
      this.notStatic(member, "write `key: value`: methods and accessors are code");
      return undefined;
    }
    const nameNode = member.getNameNode();
    if (Node.isIdentifier(nameNode) || Node.isPrivateIdentifier(nameNode))
      return { name: nameNode.getText(), span: spanOf(nameNode) };
    if (
      Node.isStringLiteral(nameNode) ||
      Node.isNoSubstitutionTemplateLiteral(nameNode) ||
      Node.isNumericLiteral(nameNode)
    ) {
      return { name: String(nameNode.getLiteralValue()), span: spanOf(nameNode) };
    }
    if (Node.isComputedPropertyName(nameNode)) {
      const key = this.evaluate(nameNode.getExpression());
      if (key.kind === "string" || key.kind === "number") return { name: String(key.value), span: spanOf(nameNode) };
      if (key.kind !== "dynamic") this.notStatic(nameNode);
      return undefined;
    }
    this.notStatic(nameNode);
    return undefined;
  }

  private call(node: CallExpression): StaticValue {
    const callee = genOtaImportOf(node.getExpression());
    const args = node.getArguments();
    const first = args[0];
    if (callee === "defineConfig") {
      if (args.length === 1 && first !== undefined && Node.isExpression(first)) return this.evaluate(first);
      this.issues.push(
        error("GEN_OTA_0003", "defineConfig() takes exactly one argument: the config object", spanOf(node)),
      );
      return { kind: "dynamic", span: spanOf(node) };
    }
    if (callee === "secret") {
      const name =
        args.length === 1 && first !== undefined && Node.isExpression(first) ? this.evaluate(first) : undefined;
      if (name?.kind === "string") return { kind: "secret", name: name.value, nameSpan: name.span, span: spanOf(node) };
      if (name?.kind === "dynamic") return name;
      this.issues.push(
        error(
          "GEN_OTA_0103",
          "secret() takes one string: the secret's name",
          spanOf(node),
          'write secret("WIFI_PASS")',
        ),
      );
      return { kind: "dynamic", span: spanOf(node) };
    }
    return this.notStatic(node);
  }

  private member(node: Node, objectNode: Expression, key: string | number): StaticValue {
    const target = this.evaluate(objectNode);
    if (target.kind === "dynamic") return target;
    if (target.kind === "object") {
      const found = target.properties.find((candidate) => candidate.key === String(key));
      if (found !== undefined) return respan(found.value, spanOf(node));
    }
    if (target.kind === "array" && typeof key === "number") {
      const item = target.items[key];
      if (item !== undefined) return respan(item, spanOf(node));
    }
    return this.notStatic(node, `${snippet(objectNode)} has no '${key}' to read`);
  }
}

/** The span of a node's own text, leading trivia excluded. */
export function spanOf(node: Node): Span {
  return { start: node.getStart(), end: node.getEnd() };
}

/** True when an access chain like `a.b[0]` starts at a const declared in this file. */
function readsLocalConst(node: Node): boolean {
  let base = node;
  while (
    Node.isPropertyAccessExpression(base) ||
    Node.isElementAccessExpression(base) ||
    Node.isParenthesizedExpression(base)
  ) {
    base = base.getExpression();
  }
  if (!Node.isIdentifier(base)) return true;
  const declaration = base.getSymbol()?.getDeclarations()[0];
  return Node.isVariableDeclaration(declaration) && declaration.getSourceFile() === node.getSourceFile();
}

function setProperty(object: StaticObject, entry: StaticProperty): void {
  const index = object.properties.findIndex((candidate) => candidate.key === entry.key);
  if (index === -1) object.properties.push(entry);
  else object.properties[index] = entry;
}

function snippet(node: Node): string {
  const text = node.getText().replace(/\s+/g, " ");
  return `\`${text.length > 40 ? `${text.slice(0, 37)}...` : text}\``;
}

function staticHint(node: Node): string {
  const text = node.getText();
  if (/^process\s*\.\s*env\b/.test(text)) {
    const name = /^process\s*\.\s*env\s*(?:\.\s*|\[\s*["'`])([A-Za-z_]\w*)/.exec(text)?.[1] ?? "NAME";
    return `write secret("${name}") to read it on the device; also list "${name}" in embedSecrets to embed it from the environment`;
  }
  if (Node.isCallExpression(node) || Node.isNewExpression(node)) {
    return 'only secret("NAME") and defineConfig({...}) calls can be read: write the value itself';
  }
  return 'write a literal, a list, an object, secret("NAME"), or a const holding one';
}
