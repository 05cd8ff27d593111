import fs from 'node:fs';
import path from 'node:path';
import { get_dmmf } from '@prisma/prisma-schema-wasm';

// Prisma's own reading of the schema (the DMMF its client generator gets), from the same
// WebAssembly build of the schema parser the CLI uses: no hand-written parsing of .prisma files.
// Only the parts this project's checks read are typed here.

export interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: 'scalar' | 'object' | 'enum' | 'unsupported';
  type: string;
  isList: boolean;
  isRequired: boolean;
  isUpdatedAt: boolean;
  hasDefaultValue: boolean;
  default?: DmmfDefault;
  nativeType?: [string, string[]] | null;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
  relationOnUpdate?: string;
}

export type DmmfDefault = { name: string; args: unknown[] } | string | number | boolean | unknown[];

export interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
}

export interface DmmfEnum {
  name: string;
  dbName?: string | null;
  values: { name: string; dbName?: string | null }[];
}

export interface DmmfIndex {
  model: string;
  type: 'id' | 'unique' | 'normal' | 'fulltext';
  name?: string | null;
  dbName?: string | null;
  algorithm?: string | null;
  fields: { name: string; sortOrder?: 'asc' | 'desc' | null; operatorClass?: string | null }[];
}

export interface Datamodel {
  models: DmmfModel[];
  enums: DmmfEnum[];
  indexes: DmmfIndex[];
}

/** Every .prisma file of the schema folder: schema.prisma plus models/*.prisma. */
export function schemaFiles(schemaDir: string): [string, string][] {
  const files = fs
    .readdirSync(schemaDir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.prisma'))
    .sort();

  return files.map((file) => [file, fs.readFileSync(path.join(schemaDir, file), 'utf8')]);
}

export function readDatamodel(schemaDir: string): Datamodel {
  const dmmf = JSON.parse(get_dmmf(JSON.stringify({ prismaSchema: schemaFiles(schemaDir) })));

  return (dmmf as { datamodel: Datamodel }).datamodel;
}

export function tableName(model: DmmfModel): string {
  return model.dbName ?? model.name;
}

export function columnName(field: DmmfField): string {
  return field.dbName ?? field.name;
}

export function enumTypeName(dmmfEnum: DmmfEnum): string {
  return dmmfEnum.dbName ?? dmmfEnum.name;
}
