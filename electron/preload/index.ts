import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_CHANNELS, type EscrowIpc, type IpcEvent } from '../ipc-contract.js';

/**
 * The whole bridge between the console and the main process: four functions carrying tRPC
 * operations. The renderer never gets ipcRenderer itself, nor the IPC event (it holds the sender).
 */
const escrowIpc: EscrowIpc = {
  request: (op) => ipcRenderer.invoke(IPC_CHANNELS.request, op),
  subscribe: (id, op) => ipcRenderer.send(IPC_CHANNELS.subscribe, { id, op }),
  unsubscribe: (id) => ipcRenderer.send(IPC_CHANNELS.unsubscribe, { id }),
  onEvent: (listener) => {
    const forward = (_event: IpcRendererEvent, message: IpcEvent) => listener(message);
    ipcRenderer.on(IPC_CHANNELS.event, forward);
    return () => {
      ipcRenderer.removeListener(IPC_CHANNELS.event, forward);
    };
  },
};

contextBridge.exposeInMainWorld('escrowIpc', escrowIpc);
