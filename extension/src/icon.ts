import { LabIcon } from '@jupyterlab/ui-components';

/** Pairs Lab's icon: two price paths converging; `jp-icon3` lets the theme colour it. */
export const pairsLabIcon = new LabIcon({
  name: 'pairs-lab:icon',
  svgstr: '<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24"><g class="jp-icon3" fill="#616161"><path d="M3 17.5l4.5-5 3.5 3 5.5-7 4.5 4.2-1.4 1.4-3-2.8-5.4 6.9-3.6-3-3.1 3.4z"/><path d="M3 20h18v1.5H3z"/><circle cx="7" cy="6" r="2"/><circle cx="12" cy="4" r="2"/></g></svg>',
});
