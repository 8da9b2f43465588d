/** The handler of each operation kind. Members import only the contract, never this file. */
import type { OperationKind } from '../../../platform/cluster-lifecycle.ts';
import { createHandler, updateHandler } from './apply.ts';
import type { Handler } from './contract.ts';
import { deleteHandler } from './delete.ts';
import { previewHandler } from './preview.ts';
import { reconcileHandler } from './reconcile.ts';
import { refreshHandler } from './refresh.ts';
import { rollbackHandler } from './rollback.ts';
import { upgradeHandler } from './upgrade.ts';

export const OPERATION_HANDLERS: Readonly<Record<OperationKind | 'preview', Handler>> = {
  create: createHandler,
  update: updateHandler,
  upgrade: upgradeHandler,
  rollback: rollbackHandler,
  reconcile: reconcileHandler,
  refresh: refreshHandler,
  preview: previewHandler,
  delete: deleteHandler,
};
