/** Recognises what the config imports from "gen-ota": `defineConfig` and `secret`, named or via a namespace. */
import { Node } from "ts-morph";

/** The module specifier the config imports gen-ota's types from. */
export const GEN_OTA_MODULE = "gen-ota";

/** The gen-ota export an expression names (`secret`, `ota.secret`, an alias of it), if any. */
export function genOtaImportOf(expression: Node): string | undefined {
  if (Node.isIdentifier(expression)) {
    const declaration = expression.getSymbol()?.getDeclarations()[0];
    if (Node.isImportSpecifier(declaration) && fromGenOta(declaration.getImportDeclaration())) {
      return declaration.getName();
    }
    return undefined;
  }
  if (Node.isPropertyAccessExpression(expression)) {
    const namespace = expression.getExpression();
    if (!Node.isIdentifier(namespace)) return undefined;
    const declaration = namespace.getSymbol()?.getDeclarations()[0];
    if (Node.isNamespaceImport(declaration)) {
      const importDeclaration = declaration.getFirstAncestor(Node.isImportDeclaration);
      if (importDeclaration !== undefined && fromGenOta(importDeclaration)) return expression.getName();
    }
  }
  return undefined;
}

/** True for declarations that bring a name in from another module. */
export function isImported(declaration: Node): boolean {
  return (
    Node.isImportSpecifier(declaration) ||
    Node.isImportClause(declaration) ||
    Node.isNamespaceImport(declaration) ||
    Node.isImportEqualsDeclaration(declaration)
  );
}

function fromGenOta(declaration: Node): boolean {
  return Node.isImportDeclaration(declaration) && declaration.getModuleSpecifierValue() === GEN_OTA_MODULE;
}
