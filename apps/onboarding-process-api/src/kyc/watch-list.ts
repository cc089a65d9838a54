/**
 * The sandbox's bundled watch list: a dozen obviously fictional people, standing in for a
 * sanctions / politically-exposed-persons list. Nobody real is on it. Names are written the way
 * list publishers write them (accents, hyphens, apostrophes) so screening has to normalise.
 */

export interface WatchListEntry {
  /** Stable id, shown to the operator who reviews a hit. */
  id: string;
  name: string;
  /** Other names the listed person is known by. */
  aliases: readonly string[];
  /** Which (fictional) programme listed them. */
  programme: string;
}

export const SANDBOX_WATCH_LIST: readonly WatchListEntry[] = [
  {
    id: 'SBX-WL-001',
    name: 'Mallory Blackhat',
    aliases: ['Mal Blackhat'],
    programme: 'SANDBOX-SANCTIONS',
  },
  {
    id: 'SBX-WL-002',
    name: 'Felonius Grimsby',
    aliases: [],
    programme: 'SANDBOX-SANCTIONS',
  },
  {
    id: 'SBX-WL-003',
    name: 'Cornelius Counterfeit',
    aliases: ['Neil Counterfeit'],
    programme: 'SANDBOX-FRAUD',
  },
  {
    id: 'SBX-WL-004',
    name: 'Penelope Pyramidscheme',
    aliases: [],
    programme: 'SANDBOX-FRAUD',
  },
  {
    id: 'SBX-WL-005',
    name: 'Rex Racketeer',
    aliases: ['Rexford Racketeer'],
    programme: 'SANDBOX-SANCTIONS',
  },
  {
    id: 'SBX-WL-006',
    name: 'Zebulon Shellgame',
    aliases: [],
    programme: 'SANDBOX-FRAUD',
  },
  {
    id: 'SBX-WL-007',
    name: 'Lucinda Launderwell',
    aliases: [],
    programme: 'SANDBOX-AML',
  },
  {
    id: 'SBX-WL-008',
    name: 'Ignatius Forgery',
    aliases: [],
    programme: 'SANDBOX-FRAUD',
  },
  {
    id: 'SBX-WL-009',
    name: 'Morgana Moneymule',
    aliases: [],
    programme: 'SANDBOX-AML',
  },
  {
    id: 'SBX-WL-010',
    name: 'Séverine Contrefaçon',
    aliases: [],
    programme: 'SANDBOX-SANCTIONS',
  },
  {
    id: 'SBX-WL-011',
    name: "Seamus O'Smuggle",
    aliases: [],
    programme: 'SANDBOX-SANCTIONS',
  },
  {
    id: 'SBX-WL-012',
    name: 'Jean-Baptiste Faux-Nom',
    aliases: [],
    programme: 'SANDBOX-PEP',
  },
];
