/**
 * The words around an item that the decision rules of DESIGN.md read: sizes (cm, inches), electronics,
 * non-electrical twins, refrigerant, bulbs versus light fittings, laptops versus phones. All patterns
 * run on normalizeText() output (lower case, no accents, punctuation as spaces) unless said otherwise.
 */

export interface Measures {
  /** the largest dimension typed, in cm; null when none */
  cm: number | null;
  /** a screen diagonal typed in inches ("24 pouces", 24", "32p"); null when none */
  inches: number | null;
}

/** Sizes in a message: "120 cm", "1m20", "1,2 m", "60x60", "H 150"; inches from the raw text ("24\""). */
export function readMeasures(raw: string, normalized: string): Measures {
  const sizes: number[] = [];
  const push = (cm: number) => {
    if (Number.isFinite(cm) && cm > 0 && cm < 1000) sizes.push(cm);
  };
  let rest = normalized;
  const take = (re: RegExp, f: (m: RegExpExecArray) => void) => {
    rest = rest.replace(re, (...args: unknown[]) => {
      f(args.slice(0, -2) as unknown as RegExpExecArray);
      return ' ';
    });
  };
  take(/\b(\d+(?:\.\d+)?)\s?x\s?(\d+(?:\.\d+)?)(?:\s?x\s?(\d+(?:\.\d+)?))?\s?(cm|mm|m)?\b/g, (m) => {
    const unit = m[4] === 'mm' ? 0.1 : m[4] === 'm' ? 100 : 1;
    const values = [m[1], m[2], m[3]].filter(Boolean).map(Number);
    if (unit !== 1 || values.some((v) => v >= 10)) for (const v of values) push(v * unit);
  });
  take(/\b(\d)\s?m\s?(\d{1,2})\b/g, (m) => push(Number(m[1]) * 100 + Number(m[2]!.padEnd(2, '0'))));
  take(/\b(\d+(?:\.\d+)?)\s?(cm|centimetres?|mm|millimetres?|m|metres?)\b/g, (m) => {
    const v = Number(m[1]);
    if (m[2]!.startsWith('c')) push(v);
    else if (m[2]!.startsWith('mm') || m[2]!.startsWith('mi')) push(v / 10);
    else if (v <= 5) push(v * 100);
  });
  take(/\b(?:h|l|hauteur|largeur|longueur|profondeur|diametre)\s?(\d{2,3})\b/g, (m) => push(Number(m[1])));
  take(/\b(\d{2,3})\s(?:de\s)?(?:haut|large|long|hauteur|largeur|longueur|diametre|profondeur)\b/g, (m) =>
    push(Number(m[1])),
  );

  let inches: number | null = null;
  const quoted = raw
    .toLowerCase()
    .match(/(\d{1,3}(?:[.,]\d)?)\s?(?:"|''|’’|”|″|pouces?\b|inch(?:es)?\b|po\b)/u);
  const shortP = normalized.match(/\b(\d{2})\s?p\b/);
  if (quoted) inches = Number(quoted[1]!.replace(',', '.'));
  else if (shortP && Number(shortP[1]) >= 10 && Number(shortP[1]) <= 100) inches = Number(shortP[1]);
  return { cm: sizes.length > 0 ? Math.max(...sizes) : null, inches };
}

/** The object has electronics: a non-EEE look-alike becomes EEE (rule 5). */
export const ELECTRONIC =
  /\b(?:electriques?|electroniques?|a piles?|avec piles?|sur piles?|piles? incluses?|sur secteur|rechargeables?|usb|motorisee?s?|a moteur|qui parle(?:nt)?|parlante?s?|qui chante(?:nt)?|chantante?s?|interacti(?:f|fs|ve|ves)|chauffante?s?|chauffants?|lumineu(?:x|se|ses)|led|connectee?s?|numeriques?|digitale?s?|digital|radiocommandee?s?|telecommandee?s?|bluetooth|wifi|a batterie|sur batterie|vibrante?s?|massante?s?|programmable|dynamo)\b/;
/** sounds that may come from a wind-up mechanism as well as from electronics */
export const WEAK_ELECTRONIC = /\b(?:musicale?s?|musicaux|sonore?s?|qui bouge(?:nt)?)\b/;
/** The same type without electricity (rule 5): applies to entries marked `mechanical`. */
export const NON_ELECTRIC =
  /\b(?:mecaniques?|manuel(?:le)?s?|a remontoir|remontoir|a manivelle|manivelle|a ressort)\b/;
/** Makes cold or moves heat with a fluid (rule 1), whatever the object is called. */
export const REFRIGERANT =
  /\b(?:refrigeree?s?|refrigerante?s?|frigorifiques?|thermodynamiques?|pompe a chaleur|a compresseur|climatisee?s?)\b/;
/** Empty packaging (rule 5): "carton vide", "boîte d'origine vide". */
export const PACKAGING =
  /\b(?:cartons?|boites?|caisses?|sacs?|cagettes?|emballages?)\s+(?:\w+\s+){0,2}vides?\b/;
/** A light source rather than a light fitting, after "lampe" (rule 3: "lampe basse conso" is the bulb). */
export const BULB =
  /\b(?:led|basse conso\w*|eco|economiques?|fluocompactes?|fluo|e27|e14|gu10|gu5|b22|culot|a vis|baionnette|sodium|iodure|incandescence|filament|economie d energie)\b/;
export const FITTING =
  /\b(?:chevet|bureau|poser|pied|salon|table|lampadaire|plafonnier|applique|suspension|lustre|liseuse|architecte|atelier|torche|frontale|poche|jardin|solaire|murale?|articulee?|abat jour|pince|lave|sel|enfant|chambre|design|tactile|halogene|ceramique|bois|metal|verre)\b/;
/** "portable" means the laptop only when the text says so (rule 7). */
export const LAPTOP =
  /\b(?:ordi|ordinateur|pc|laptop|charniere|clavier|windows|linux|ubuntu|ram|ssd|hdd|processeur|intel|amd|ryzen|i3|i5|i7|i9|celeron|pentium|gamer|go ram|core i\d)\b/;
export const PHONE =
  /\b(?:clapet|android|iphone|smartphone|sim|forfait|3310|gsm|telephone|tel|double sim|4g|5g)\b/;
/** A big office printer (rule 4: office copiers and big multifunction printers are large). */
export const BIG_PRINTER =
  /\b(?:professionnel(?:le)?s?|grosse?s?|grande?s?|sur pied|a3|entreprise|copieur|photocopieu\w*|ricoh|xerox|kyocera|konica|minolta)\b/;
export const BIG = /\b(?:gros|grosse|grand|grande|enorme|geant|xxl)\b/;
/** Non-electrical materials: with no item recognised, they point to furniture, decoration or toys. */
export const MATERIAL =
  /\ben (?:bois|tissu|osier|rotin|verre|ceramique|porcelaine|faience|fer forge|laiton|cuivre|carton|papier|cuir|marbre|pierre|resine|paille|corde|laine|coton|feutrine)\b/;
/** A number of watts: a photovoltaic panel, not a thermal collector. */
export const WATTS = /\b\d+\s?(?:w|wc|watts?|kwc)\b/;

// Words that say nothing about the category: qualities, colours, materials, rooms, users, specs.
// prettier-ignore
export const NEUTRAL = new Set([
  'bon', 'bonne', 'etat', 'propre', 'usage', 'usagee', 'occasion', 'recent', 'recente', 'moderne', 'vintage', 'retro',
  'joli', 'jolie', 'beau', 'bel', 'belle', 'superbe', 'magnifique', 'super', 'excellent', 'complet', 'complete',
  'entier', 'original', 'originale', 'origine', 'divers', 'diverse', 'assorti', 'varie', 'quelque', 'plusieur',
  'autre', 'meme', 'leger', 'legere', 'lourd', 'lourde', 'compact', 'compacte', 'maxi', 'double', 'simple', 'standard',
  'classique', 'gamme', 'pro', 'professionnel', 'professionnelle', 'familial', 'familiale', 'individuel', 'perso',
  'argent', 'argente', 'dore', 'doree', 'rose', 'violet', 'jaune', 'marron', 'beige', 'creme', 'anthracite', 'chrome',
  'transparent', 'multicolore', 'couleur', 'colore', 'kaki', 'bordeaux', 'turquoise', 'noire', 'verte', 'bleue',
  'bois', 'metal', 'metallique', 'acier', 'alu', 'aluminium', 'cuir', 'laiton', 'cuivre', 'osier', 'rotin', 'ceramique',
  'porcelaine', 'faience', 'chene', 'pin', 'massif', 'laque', 'velour', 'coton', 'laine', 'polaire', 'marbre',
  'salon', 'chambre', 'jardin', 'exterieur', 'interieur', 'maison', 'appartement', 'garage', 'atelier', 'salle',
  'bain', 'enfant', 'bebe', 'adulte', 'homme', 'femme', 'fille', 'garcon', 'junior', 'etudiant', 'famille', 'voyage',
  'camping', 'hotel', 'ecole', 'mural', 'murale', 'encastrable', 'pose', 'libre', 'poser', 'suspendu', 'integre',
  'fixe', 'portatif', 'fil', 'tactile', 'hd', 'full', 'uhd', 'smart', 'hdmi', 'garantie', 'watt', 'volt', 'litre',
  'kilo', 'place', 'porte', 'tiroir', 'feu', 'vitesse', 'programme', 'reglable', 'pliable', 'pliant', 'pliante',
  'demontable', 'rabattable', 'extensible', 'reversible', 'combine', 'condensation', 'evacuation', 'hublot', 'frontal',
  'chargement', 'capacite', 'puissance', 'silencieux', 'silencieuse', 'inverter', 'energie', 'classe', 'automatique',
  'ensemble', 'kit', 'paire', 'set', 'collection', 'serie', 'assortiment', 'piece', 'ref', 'reference', 'version',
  'generation', 'edition', 'taille', 'format', 'env', 'environ', 'kg', 'cm', 'mm', 'pouce', 'accessoire', 'donne',
  'don', 'recupere', 'trouve', 'merci', 'bonjour', 'voici', 'voila', 'ya', 'moin', 'peu', 'bien', 'trop', 'assez',
  'encore', 'deja', 'jamais', 'toujour', 'presque', 'quasi', 'vraiment', 'air', 'eau', 'sechant', 'gaz', 'vapeur',
  'sol', 'main', 'secteur', 'vide', 'usagee', 'poussiere', 'traineau', 'balai', 'robot', 'mini', 'tout', 'portable',
  'gamer', 'bluetooth', 'wifi', 'pied', 'lumineux', 'lumineuse', 'electrique', 'electronique', 'numerique', 'digital',
  'cuisine', 'bureau', 'table', 'ecran', 'blanche', 'rouge', 'grise', 'monocristallin', 'polycristallin', 'souple',
  'rigide', 'car', 'van', 'bateau', 'toit', 'apporte', 'amene', 'ramene', 'depose', 'depot', 'recu', 'donnee',
  'reprise', 'collecte', 'arrivage', 'client', 'cliente', 'monsieur', 'madame', 'dame', 'plein', 'tas', 'bcp',
  'beaucoup', 'multiple', 'enorme', 'geant', 'xxl', 'petits', 'lots', 'neuve', 'marque', 'model',
]);

/** How an item is powered ("à piles", "sur batterie"): not an item of the message. */
export const POWER = new Set(['pile', 'batterie', 'accu', 'secteur']);
