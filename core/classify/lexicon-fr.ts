/**
 * French words a volunteer uses for items, by WEEE code. Each entry: code, short French item name,
 * typical weight of one item in kg, and the phrases that name it (any case, accents, plural).
 * When several phrases match a message, the longest wins, then the one said first (French puts
 * the head noun first: "smartphone écran cassé" is a phone).
 */
export interface LexiconEntry {
  code: string;
  name: string;
  kg: number;
  phrases: string[];
}

type Row = [code: string, name: string, kg: number, ...phrases: string[]];

// prettier-ignore
const ROWS: Row[] = [
  // temperature_exchange (GEM F)
  ['temperature_exchange', 'Réfrigérateur', 40, 'frigo', 'frigidaire', 'refrigerateur', 'refrigirateur', 'frigo combine', 'refrigerateur combine', 'combine frigo'],
  ['temperature_exchange', 'Réfrigérateur top', 28, 'frigo top', 'mini frigo', 'petit frigo', 'frigo table top', 'refrigerateur top', 'table top'],
  ['temperature_exchange', 'Réfrigérateur américain', 100, 'frigo americain', 'refrigerateur americain'],
  ['temperature_exchange', 'Congélateur', 45, 'congelateur', 'congel', 'congelo', 'congelateur coffre', 'congel coffre', 'bahut congelateur', 'congelateur armoire'],
  ['temperature_exchange', 'Cave à vin', 35, 'cave vin', 'cave vins', 'armoire vin'],
  ['temperature_exchange', 'Climatiseur', 30, 'clim', 'climatiseur', 'climatisation', 'clim mobile', 'climatiseur mobile', 'clim reversible', 'rafraichisseur'],
  ['temperature_exchange', 'Déshumidificateur', 12, 'deshumidificateur', 'deshumidifieur', 'dessicateur'],
  ['temperature_exchange', 'Pompe à chaleur', 60, 'pompe chaleur', 'pac'],
  ['temperature_exchange', 'Glacière électrique', 8, 'glaciere electrique', 'mini bar', 'minibar', 'refroidisseur'],
  ['temperature_exchange', 'Fontaine à eau', 15, 'fontaine eau', 'distributeur eau fraiche', 'distributeur boisson', 'tireuse biere', 'tireuse'],
  ['temperature_exchange', 'Sèche-linge pompe à chaleur', 45, 'seche linge pompe chaleur'],

  // screens
  ['screens', 'Télévision', 12, 'tv', 'tele', 'television', 'televiseur', 'tele plasma', 'tv plasma', 'tv lcd', 'tv led', 'ecran plat', 'smart tv', 'oled', 'qled'],
  ['screens', 'Télévision cathodique', 25, 'tv cathodique', 'tele cathodique', 'television cathodique', 'tube cathodique', 'crt'],
  ['screens', 'Écran d’ordinateur', 5, 'ecran', 'ecran pc', 'ecran ordi', 'ecran ordinateur', 'moniteur', 'ecran lcd', 'ecran informatique'],
  ['screens', 'Ordinateur portable', 2.5, 'ordinateur portable', 'ordi portable', 'pc portable', 'laptop', 'notebook', 'macbook', 'chromebook', 'netbook', 'portable pc'],
  ['screens', 'Tablette', 0.6, 'tablette', 'tablette tactile', 'ipad', 'galaxy tab'],
  ['screens', 'Cadre photo numérique', 0.8, 'cadre photo numerique', 'cadre numerique'],
  ['screens', 'Lecteur DVD portable', 1, 'lecteur dvd portable'],
  ['screens', 'Ordinateur tout-en-un', 8, 'tout en un', 'imac'],

  // lamps (light sources, not light fittings)
  ['lamps', 'Ampoule', 0.1, 'ampoule', 'ampoule led', 'ampoule basse consommation', 'ampoule basse conso', 'ampoule eco', 'ampoule fluocompacte', 'fluocompacte', 'ampoule halogene', 'ampoule economique', 'lampe basse consommation', 'lampe fluocompacte', 'lampe led', 'led gu10', 'gu10', 'e27', 'e14'],
  ['lamps', 'Tube néon', 0.3, 'neon', 'tube neon', 'tube fluo', 'tube fluorescent', 'reglette neon', 'tube led'],
  ['lamps', 'Lampe halogène', 0.1, 'halogene', 'lampe halogene', 'crayon halogene'],

  // large_equipment (GEM HF, one dimension > 50 cm)
  ['large_equipment', 'Lave-linge', 65, 'lave linge', 'machine laver', 'machine linge', 'lave linge hublot', 'lave linge top', 'lavante'],
  ['large_equipment', 'Lave-vaisselle', 45, 'lave vaisselle', 'lave vaiselle', 'lavevaisselle'],
  ['large_equipment', 'Sèche-linge', 38, 'seche linge', 'seche linge condensation', 'seche linge evacuation'],
  ['large_equipment', 'Cuisinière', 45, 'cuisiniere', 'gaziniere', 'piano cuisson', 'cuisiniere electrique', 'cuisiniere mixte'],
  ['large_equipment', 'Four', 30, 'four', 'four encastrable', 'four electrique', 'four pyrolyse', 'four multifonction'],
  ['large_equipment', 'Plaque de cuisson', 10, 'plaque cuisson', 'plaque induction', 'plaque vitroceramique', 'vitroceramique', 'table cuisson', 'table induction'],
  ['large_equipment', 'Hotte aspirante', 12, 'hotte', 'hotte aspirante', 'hotte cuisine'],
  ['large_equipment', 'Chauffe-eau', 40, 'chauffe eau', 'cumulus', 'ballon eau chaude', 'ballon electrique'],
  ['large_equipment', 'Radiateur électrique', 12, 'radiateur', 'radiateur electrique', 'radiateur bain huile', 'bain huile', 'convecteur', 'panneau rayonnant', 'radiateur inertie'],
  ['large_equipment', 'Tapis de course', 60, 'tapis course', 'tapis marche', 'velo appartement', 'velo elliptique', 'elliptique', 'rameur', 'home trainer'],
  ['large_equipment', 'Tondeuse électrique', 18, 'tondeuse', 'tondeuse electrique', 'robot tondeuse', 'tondeuse gazon', 'scarificateur', 'broyeur vegetaux', 'taille haie', 'coupe bordure', 'debroussailleuse'],
  ['large_equipment', 'Lampadaire', 5, 'lampadaire', 'lampadaire halogene', 'lampe pied', 'lampe sur pied', 'halogene pied'],
  ['large_equipment', 'Photocopieur', 60, 'photocopieur', 'photocopieuse', 'copieur'],
  ['large_equipment', 'Piano numérique', 25, 'piano numerique', 'piano electrique', 'orgue electrique', 'synthetiseur', 'clavier arrangeur'],
  ['large_equipment', 'Enceinte colonne', 15, 'enceinte colonne', 'colonne son', 'caisson basse'],
  ['large_equipment', 'Nettoyeur haute pression', 12, 'nettoyeur haute pression', 'karcher', 'kaercher'],
  ['large_equipment', 'Vélo électrique', 22, 'velo electrique', 'vae', 'trottinette electrique'],
  ['large_equipment', 'Machine à coudre industrielle', 30, 'machine coudre industrielle'],
  ['large_equipment', 'Baby-foot électronique', 50, 'flipper', 'borne arcade'],

  // small_equipment (PAM, no dimension > 50 cm)
  ['small_equipment', 'Micro-ondes', 12, 'micro onde', 'microonde', 'micro onde grill', 'four micro onde', 'mo', 'micro ondes', 'micro'],
  ['small_equipment', 'Grille-pain', 1.5, 'grille pain', 'grillepain', 'toaster'],
  ['small_equipment', 'Bouilloire', 1.2, 'bouilloire', 'bouilloir', 'theiere electrique'],
  ['small_equipment', 'Cafetière', 1.8, 'cafetiere', 'cafetiere electrique', 'machine cafe', 'machine expresso', 'expresso', 'senseo', 'nespresso', 'dolce gusto', 'tassimo', 'percolateur', 'cafetiere filtre'],
  ['small_equipment', 'Robot cafetière broyeur', 9, 'robot cafe', 'broyeur cafe', 'expresso broyeur', 'machine cafe grain'],
  ['small_equipment', 'Moulin à café', 1, 'moulin cafe'],
  ['small_equipment', 'Aspirateur', 5, 'aspirateur', 'aspi', 'aspirateur traineau', 'aspirateur balai', 'aspirateur main', 'aspirateur robot', 'robot aspirateur', 'roomba', 'aspirateur sans sac', 'balai vapeur', 'nettoyeur vapeur', 'shampouineuse'],
  ['small_equipment', 'Fer à repasser', 1.3, 'fer repasser', 'fer', 'centrale vapeur', 'defroisseur'],
  ['small_equipment', 'Sèche-cheveux', 0.6, 'seche cheveux', 'sechoir cheveux', 'sechoir', 'brushing'],
  ['small_equipment', 'Lisseur', 0.4, 'lisseur', 'fer lisser', 'boucleur', 'fer boucler', 'brosse soufflante', 'epilateur', 'rasoir electrique', 'rasoir', 'tondeuse barbe', 'tondeuse cheveux', 'brosse dent electrique', 'brosse dents electrique'],
  ['small_equipment', 'Mixeur', 1.2, 'mixeur', 'mixer', 'blender', 'mixeur plongeant', 'plongeur', 'hachoir', 'hachoir electrique', 'batteur', 'batteur electrique', 'fouet electrique', 'presse agrume', 'centrifugeuse', 'extracteur jus', 'blinder'],
  ['small_equipment', 'Robot de cuisine', 4, 'robot', 'robot cuisine', 'robot menager', 'robot patissier', 'robot multifonction', 'thermomix', 'companion', 'cookeo', 'kitchenaid', 'multicuiseur', 'autocuiseur electrique'],
  ['small_equipment', 'Petit électroménager de cuisine', 3, 'friteuse', 'airfryer', 'air fryer', 'appareil raclette', 'raclette', 'appareil fondue', 'fondue electrique', 'crepiere', 'gaufrier', 'appareil croque monsieur', 'croque monsieur', 'plancha', 'plancha electrique', 'barbecue electrique', 'grill', 'grill viande', 'yaourtiere', 'machine pain', 'cuiseur riz', 'cuiseur vapeur', 'mijoteuse', 'sorbetiere', 'appareil panini', 'balance cuisine', 'couteau electrique', 'ouvre boite electrique', 'chauffe biberon', 'sterilisateur', 'mini four', 'four posable', 'petit four', 'rotissoire', 'plaque chauffante', 'plaque electrique', 'rechaud electrique', 'trancheuse', 'machine soda', 'soda stream', 'sodastream'],
  ['small_equipment', 'Perceuse', 1.8, 'perceuse', 'visseuse', 'perceuse visseuse', 'perforateur', 'visseuse devisseuse', 'meuleuse', 'disqueuse', 'ponceuse', 'scie sauteuse', 'scie circulaire', 'defonceuse', 'rabot electrique', 'decapeur thermique', 'pistolet colle', 'fer souder', 'outil electroportatif', 'outillage electrique', 'chargeur batterie outil', 'compresseur', 'aspirateur chantier'],
  ['small_equipment', 'Radio', 1, 'radio', 'radio reveil', 'radioreveil', 'reveil', 'poste radio', 'transistor', 'radio cassette', 'radio cd', 'tuner'],
  ['small_equipment', 'Chaîne hi-fi', 6, 'chaine hifi', 'chaine hi fi', 'hifi', 'mini chaine', 'micro chaine', 'ampli', 'amplificateur', 'platine', 'platine vinyle', 'tourne disque', 'platine cd', 'lecteur cd', 'lecteur cassette', 'platine cassette', 'magnetophone', 'enceinte', 'enceintes', 'baffle', 'haut parleur', 'barre son', 'home cinema', 'recepteur', 'enceinte bluetooth', 'juke box', 'egaliseur'],
  ['small_equipment', 'Lecteur DVD', 2.5, 'lecteur dvd', 'lecteur blu ray', 'blu ray', 'magnetoscope', 'decodeur', 'decodeur tnt', 'adaptateur tnt', 'demodulateur', 'recepteur satellite', 'parabole'],
  ['small_equipment', 'Console de jeux', 2.5, 'console', 'console jeu', 'playstation', 'ps2', 'ps3', 'ps4', 'ps5', 'xbox', 'wii', 'nintendo', 'switch', 'game boy', 'gameboy', 'ds', 'manette', 'manette jeu'],
  ['small_equipment', 'Appareil photo', 0.5, 'appareil photo', 'apn', 'camescope', 'camera', 'reflex', 'camera sport', 'gopro', 'objectif', 'flash', 'polaroid'],
  ['small_equipment', 'Lampe', 1.2, 'lampe', 'lampe chevet', 'lampe bureau', 'lampe poser', 'luminaire', 'applique', 'plafonnier', 'suspension', 'spot', 'guirlande', 'guirlande lumineuse', 'guirlande electrique', 'veilleuse', 'lampe torche', 'torche', 'lampe frontale', 'lampe de poche', 'projecteur led', 'projecteur chantier', 'lampe atelier'],
  ['small_equipment', 'Ventilateur', 3, 'ventilateur', 'ventilo', 'brasseur air', 'chauffage soufflant', 'soufflant', 'chauffage appoint', 'radiateur soufflant', 'humidificateur', 'purificateur air', 'diffuseur huile', 'diffuseur'],
  ['small_equipment', 'Machine à coudre', 8, 'machine coudre', 'surjeteuse', 'brodeuse'],
  ['small_equipment', 'Jouet électronique', 0.8, 'jouet electrique', 'jouet electronique', 'jouet pile', 'voiture telecommandee', 'robot jouet', 'peluche electronique', 'train electrique', 'circuit electrique', 'drone', 'talkie walkie', 'babyphone', 'ecoute bebe', 'jeu electronique', 'tamagotchi', 'lego technic motorise'],
  ['small_equipment', 'Balance', 1, 'balance', 'pese personne', 'balance electronique', 'tensiometre', 'thermometre electronique'],
  ['small_equipment', 'Horloge', 0.6, 'horloge', 'pendule electrique', 'montre', 'montre connectee', 'minuteur', 'station meteo', 'thermostat', 'detecteur fumee'],
  ['small_equipment', 'Petit appareil électrique', 1, 'adaptateur', 'transformateur', 'rallonge', 'multiprise', 'chargeur', 'cable', 'cables', 'fils electrique', 'prise programmable', 'alimentation', 'bloc alimentation'],
  ['small_equipment', 'Instrument de musique électrique', 5, 'guitare electrique', 'basse electrique', 'ampli guitare', 'table mixage', 'micro chant', 'pedale effet'],

  // small_it_telecom
  ['small_it_telecom', 'Téléphone portable', 0.2, 'telephone portable', 'portable', 'smartphone', 'iphone', 'gsm', 'mobile', 'tel portable', 'telephone mobile', 'galaxy', 'samsung galaxy', 'tel', 'tel mobile'],
  ['small_it_telecom', 'Téléphone fixe', 0.6, 'telephone', 'telephone fixe', 'tel fixe', 'telephone sans fil', 'combine telephone', 'dect', 'fax', 'repondeur'],
  ['small_it_telecom', 'Imprimante', 6, 'imprimante', 'imprimante laser', 'imprimante jet encre', 'imprimante multifonction', 'imprimente', 'scanner', 'scanneur', 'multifonction', 'traceur'],
  ['small_it_telecom', 'Ordinateur de bureau', 8, 'ordinateur', 'ordi', 'pc', 'unite centrale', 'tour', 'tour pc', 'tour ordinateur', 'pc bureau', 'ordinateur bureau', 'uc', 'mac mini', 'serveur', 'nas'],
  ['small_it_telecom', 'Clavier', 0.6, 'clavier', 'clavier ordinateur', 'clavier pc', 'clavier sans fil'],
  ['small_it_telecom', 'Souris', 0.1, 'souris', 'souris sans fil', 'tapis souris'],
  ['small_it_telecom', 'Box internet', 0.5, 'box', 'box internet', 'livebox', 'freebox', 'bbox', 'modem', 'routeur', 'switch reseau', 'hub', 'repeteur wifi', 'cpl', 'borne wifi', 'decodeur box'],
  ['small_it_telecom', 'Disque dur', 0.3, 'disque dur', 'disque externe', 'disque dur externe', 'cle usb', 'ssd', 'hdd', 'lecteur disquette', 'graveur', 'lecteur dvd externe', 'carte graphique', 'carte mere', 'alimentation pc', 'barrette memoire', 'composant informatique', 'webcam', 'casque micro', 'micro casque', 'casque audio', 'casque', 'ecouteur', 'oreillette', 'kit main libre', 'hub usb'],
  ['small_it_telecom', 'Petit appareil informatique', 0.3, 'calculatrice', 'calculette', 'gps', 'tomtom', 'garmin', 'liseuse', 'kindle', 'kobo', 'agenda electronique', 'dictaphone', 'baladeur', 'mp3', 'lecteur mp3', 'ipod', 'walkman', 'dictionnaire electronique', 'onduleur', 'minitel', 'talkie'],

  // photovoltaic_panels
  ['photovoltaic_panels', 'Panneau solaire', 18, 'panneau solaire', 'panneau photovoltaique', 'panneau pv', 'module photovoltaique', 'module pv', 'module solaire', 'photovoltaique', 'capteur solaire', 'kit solaire', 'plaque solaire', 'panneau solaire souple'],

  // non_eee
  ['non_eee', 'Meuble', 20, 'meuble', 'commode', 'armoire', 'buffet', 'bahut', 'etagere', 'bibliotheque', 'placard', 'vaisselier', 'meuble tv', 'table chevet', 'chevet', 'bureau', 'secretaire', 'console meuble', 'desserte', 'coiffeuse', 'penderie'],
  ['non_eee', 'Chaise', 5, 'chaise', 'tabouret', 'fauteuil', 'banc', 'pouf', 'canape', 'sofa', 'clic clac', 'rocking chair', 'transat', 'chaise haute'],
  ['non_eee', 'Table', 20, 'table', 'table basse', 'table manger', 'table jardin', 'table pliante', 'gueridon', 'table salon'],
  ['non_eee', 'Literie', 15, 'matelas', 'sommier', 'lit', 'lit bebe', 'couette', 'oreiller', 'drap', 'draps', 'couverture', 'plaid', 'parure lit', 'tete lit'],
  ['non_eee', 'Vaisselle', 0.5, 'vaisselle', 'assiette', 'verre', 'tasse', 'bol', 'mug', 'couvert', 'couverts', 'plat', 'saladier', 'carafe', 'theiere', 'soupiere', 'service vaisselle', 'service', 'ramequin', 'pichet', 'vase'],
  ['non_eee', 'Ustensile de cuisine', 1, 'casserole', 'poele', 'faitout', 'cocotte', 'cocotte minute', 'autocuiseur', 'marmite', 'moule', 'moule gateau', 'ustensile', 'ustensile cuisine', 'batterie cuisine', 'passoire', 'planche decouper', 'couteau', 'cafetiere italienne', 'moka', 'bialetti', 'wok'],
  ['non_eee', 'Livre', 0.4, 'livre', 'bouquin', 'bd', 'bande dessinee', 'roman', 'magazine', 'revue', 'encyclopedie', 'dictionnaire', 'manga', 'livre poche'],
  ['non_eee', 'Vêtements', 0.4, 'vetement', 'fringue', 'habit', 'pull', 'pantalon', 'jean', 'robe', 'chemise', 'manteau', 'veste', 'blouson', 'tee shirt', 't shirt', 'jupe', 'chaussure', 'basket', 'botte', 'sac main', 'ceinture', 'textile', 'linge', 'linge maison', 'rideau', 'nappe', 'serviette', 'tissu'],
  ['non_eee', 'Jouet', 0.8, 'jouet', 'peluche', 'poupee', 'puzzle', 'jeu societe', 'jeu de societe', 'lego', 'playmobil', 'jeu construction', 'dinette', 'doudou', 'jeu bois'],
  ['non_eee', 'Vélo', 14, 'velo', 'bicyclette', 'vtt', 'trottinette', 'draisienne', 'poussette', 'landau', 'siege auto', 'velo enfant'],
  ['non_eee', 'Décoration', 1, 'cadre', 'tableau', 'miroir', 'bibelot', 'deco', 'decoration', 'bougeoir', 'statuette', 'pot fleur', 'panier', 'corbeille', 'tapis', 'coussin', 'horloge murale manuelle'],
  ['non_eee', 'Outil manuel', 1, 'outil', 'outils', 'marteau', 'tournevis', 'cle molette', 'scie', 'pince', 'caisse outils', 'boite outils', 'niveau', 'serre joint', 'pelle', 'rateau', 'arrosoir', 'brouette', 'escabeau', 'echelle'],
  ['non_eee', 'Article de sport', 2, 'raquette', 'ballon', 'ski', 'skis', 'snowboard', 'roller', 'patin', 'halteres', 'haltere', 'tente', 'sac couchage', 'canne peche', 'club golf', 'skate'],
  ['non_eee', 'Objet divers', 1, 'valise', 'sac dos', 'bagage', 'cartable', 'cd', 'dvd', 'dvd film', 'sechoir linge', 'casque velo', 'casque moto', 'disque vinyle', 'vinyle', 'vinyles', 'cassette video', 'vhs', 'k7', 'cassette audio', 'bocal', 'bouteille', 'parapluie', 'jeu carte', 'instrument musique', 'guitare', 'violon', 'flute', 'planche repasser', 'etendoir', 'sechoir linge pliant', 'seau', 'poubelle', 'bassine', 'cintre'],
];

/** Brands that hint at a code when no item word is found (weak evidence only). */
export const BRAND_HINTS: Record<string, string> = {
  moulinex: 'small_equipment',
  seb: 'small_equipment',
  tefal: 'small_equipment',
  calor: 'small_equipment',
  rowenta: 'small_equipment',
  krups: 'small_equipment',
  kenwood: 'small_equipment',
  braun: 'small_equipment',
  babyliss: 'small_equipment',
  delonghi: 'small_equipment',
  magimix: 'small_equipment',
  dyson: 'small_equipment',
  philips: 'small_equipment',
  remington: 'small_equipment',
  russell: 'small_equipment',
  hoover: 'small_equipment',
  vorwerk: 'small_equipment',
  riviera: 'small_equipment',
  makita: 'small_equipment',
  ryobi: 'small_equipment',
  dewalt: 'small_equipment',
  bosch: 'small_equipment',
  hp: 'small_it_telecom',
  canon: 'small_it_telecom',
  epson: 'small_it_telecom',
  brother: 'small_it_telecom',
  lexmark: 'small_it_telecom',
  logitech: 'small_it_telecom',
  netgear: 'small_it_telecom',
  alcatel: 'small_it_telecom',
  motorola: 'small_it_telecom',
  gigaset: 'small_it_telecom',
  apple: 'small_it_telecom',
  nokia: 'small_it_telecom',
  huawei: 'small_it_telecom',
  xiaomi: 'small_it_telecom',
  jbl: 'small_equipment',
  singer: 'small_equipment',
  dell: 'screens',
  acer: 'screens',
  asus: 'screens',
  lenovo: 'screens',
  toshiba: 'screens',
  sony: 'screens',
  lg: 'screens',
  samsung: 'screens',
  thomson: 'screens',
  liebherr: 'temperature_exchange',
  whirlpool: 'large_equipment',
  indesit: 'large_equipment',
  brandt: 'large_equipment',
  candy: 'large_equipment',
  vedette: 'large_equipment',
  beko: 'large_equipment',
  miele: 'large_equipment',
  electrolux: 'large_equipment',
  sauter: 'large_equipment',
  ikea: 'non_eee',
};

export const LEXICON: LexiconEntry[] = ROWS.map(([code, name, kg, ...phrases]) => ({
  code,
  name,
  kg,
  phrases,
}));

// prettier-ignore
export const BRAND_NAMES: Record<string, string> = {
  moulinex: 'Moulinex', seb: 'Seb', tefal: 'Tefal', calor: 'Calor', rowenta: 'Rowenta', krups: 'Krups',
  kenwood: 'Kenwood', braun: 'Braun', babyliss: 'Babyliss', delonghi: "De'Longhi", magimix: 'Magimix',
  dyson: 'Dyson', philips: 'Philips', remington: 'Remington', hoover: 'Hoover', bosch: 'Bosch',
  makita: 'Makita', ryobi: 'Ryobi', dewalt: 'DeWalt', hp: 'HP', canon: 'Canon', epson: 'Epson',
  brother: 'Brother', lexmark: 'Lexmark', logitech: 'Logitech', alcatel: 'Alcatel', apple: 'Apple',
  dell: 'Dell', acer: 'Acer', asus: 'Asus', lenovo: 'Lenovo', toshiba: 'Toshiba', sony: 'Sony', lg: 'LG',
  samsung: 'Samsung', thomson: 'Thomson', liebherr: 'Liebherr', whirlpool: 'Whirlpool', indesit: 'Indesit',
  brandt: 'Brandt', candy: 'Candy', beko: 'Beko', miele: 'Miele', electrolux: 'Electrolux', ikea: 'Ikea',
  nokia: 'Nokia', huawei: 'Huawei', xiaomi: 'Xiaomi', sfr: 'SFR', orange: 'Orange', senseo: 'Senseo',
  nespresso: 'Nespresso', siemens: 'Siemens', panasonic: 'Panasonic', sharp: 'Sharp', grundig: 'Grundig',
};
