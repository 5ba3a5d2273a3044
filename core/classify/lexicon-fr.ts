/**
 * French words a volunteer uses for items, by WEEE code. Each entry: the code of the typical item,
 * a short French item name, the typical weight of one item in kg, the phrases that name it (any case,
 * accents, plural), and how the rules of DESIGN.md "How a category is decided" apply to it.
 * French puts the head noun first ("smartphone écran cassé" is a phone): the classifier reads the
 * first item named, then the words around it.
 */
export interface LexiconEntry {
  code: string;
  name: string;
  kg: number;
  phrases: string[];
  /**
   * How size applies (rule 4). 'fixed': the type decides (refrigerant, screens, lamps, panels,
   * non-EEE, and the types practice lists). 'large': always over 50 cm. 'varies': a size typed
   * either way decides. Default for small equipment and small IT: a size over 50 cm makes it large.
   */
  size?: 'fixed' | 'large' | 'varies';
  /** words after the item that change its category ("radiateur à bain d'huile", "fer en fonte") */
  variants?: Record<string, string>;
  /** has a non-electrical twin named by "mécanique", "manuel", "à remontoir"… (rule 5); implies `twin` */
  mechanical?: boolean;
  /** has a non-electrical twin: an unknown word next to it may name the twin, so it is shown as unsure */
  twin?: boolean;
  /** non-EEE item: its category when the text says it has electronics (rule 5); null: never EEE */
  eee?: string | null;
  /** the name alone leaves the category open: always shown with alternatives */
  ambiguous?: boolean;
  /** the other category the name often means, offered first among the alternatives */
  or?: string;
}

const T = 'temperature_exchange';
const N = 'non_eee';
const S = 'small_equipment';
const L = 'large_equipment';
const IT = 'small_it_telecom';
const PV = 'photovoltaic_panels';
const SC = 'screens';

type Traits = Omit<LexiconEntry, 'code' | 'name' | 'kg' | 'phrases'>;
const e = (code: string, name: string, kg: number, phrases: string[], traits: Traits = {}): LexiconEntry => ({
  code,
  name,
  kg,
  phrases,
  ...traits,
});

const NON_ELECTRIC_LIGHT = {
  petrole: N,
  huile: N,
  tempete: N,
  bougie: N,
  gaz: N,
  carbure: N,
  paraffine: N,
  kerosene: N,
  berger: N,
};

// prettier-ignore
export const LEXICON: LexiconEntry[] = [
  // rule 1: temperature_exchange, whatever the size
  e(T, 'Réfrigérateur', 40, ['frigo', 'frigidaire', 'refrigerateur', 'refrigirateur', 'refregirateur', 'frigo combine', 'refrigerateur combine', 'combine frigo', 'refrigerateur congelateur', 'frigo congelateur', 'combine refrigerateur']),
  e(T, 'Réfrigérateur top', 28, ['frigo top', 'mini frigo', 'minifrigo', 'frigo table top', 'refrigerateur top', 'table top', 'frigo bar', 'refrigerateur bar', 'frigo chambre']),
  e(T, 'Réfrigérateur américain', 100, ['frigo americain', 'refrigerateur americain', 'side side']),
  e(T, 'Congélateur', 45, ['congelateur', 'congel', 'congelo', 'congelateur coffre', 'congel coffre', 'bahut congelateur', 'congelateur armoire', 'congelateur tiroir', 'congelateur bahut']),
  e(T, 'Cave à vin', 35, ['cave vin', 'cave vins', 'armoire vin', 'cave vieillissement', 'climadiff']),
  e(T, 'Climatiseur', 30, ['clim', 'climatiseur', 'climatisation', 'clim mobile', 'climatiseur mobile', 'clim reversible', 'climatiseur fenetre', 'climatiseur portable', 'clim portable', 'pinguino']),
  e(T, 'Déshumidificateur', 12, ['deshumidificateur', 'deshumidifieur', 'deshumidificateur air', 'deshu']),
  e(T, 'Pompe à chaleur', 60, ['pompe chaleur', 'pac', 'chauffe eau thermodynamique', 'ballon thermodynamique', 'thermodynamique']),
  e(T, 'Radiateur à bain d’huile', 12, ['radiateur bain huile', 'bain huile', 'radiateur huile', 'radiateur a huile']),
  e(T, 'Machine à glaçons', 12, ['machine glacon', 'machine glacons', 'machine glace', 'fabrique glacon', 'distributeur glacon', 'glaconniere']),
  e(T, 'Glacière électrique', 8, ['glaciere electrique', 'glaciere compresseur', 'mini bar', 'minibar', 'refroidisseur']),
  e(T, 'Fontaine à eau', 15, ['fontaine eau', 'distributeur eau fraiche', 'fontaine refrigeree', 'distributeur boisson', 'tireuse biere', 'tireuse']),
  e(T, 'Sèche-linge pompe à chaleur', 45, ['seche linge pompe chaleur']),
  e(T, 'Vitrine réfrigérée', 80, ['vitrine refrigeree', 'presentoir refrigere', 'comptoir refrigere', 'armoire refrigeree', 'vitrine froide', 'saladette', 'meuble frigo']),

  // rule 2: screens over 100 cm², whatever the size
  e(SC, 'Télévision', 12, ['tv', 'tele', 'television', 'televiseur', 'tele plasma', 'tv plasma', 'tv lcd', 'tv led', 'ecran plat', 'smart tv', 'oled', 'qled', 'ecran plasma', 'plasma', 'poste tele', 'poste television', 'televiseur lcd']),
  e(SC, 'Télévision cathodique', 25, ['tv cathodique', 'tele cathodique', 'television cathodique', 'tube cathodique', 'crt', 'ecran cathodique', 'moniteur crt']),
  e(SC, 'Écran d’ordinateur', 5, ['ecran', 'ecran pc', 'ecran ordi', 'ecran ordinateur', 'moniteur', 'ecran lcd', 'ecran informatique', 'ecran tactile', 'ecran led'], { variants: { cheminee: N, projection: N, protection: N, total: N, solaire: N } }),
  e(SC, 'Ordinateur portable', 2.5, ['ordinateur portable', 'ordi portable', 'pc portable', 'laptop', 'notebook', 'macbook', 'chromebook', 'netbook', 'portable pc', 'ultrabook', 'thinkpad', 'ideapad', 'latitude', 'inspiron', 'vostro', 'pavilion', 'elitebook', 'probook', 'aspire', 'travelmate', 'vivobook', 'zenbook', 'vaio', 'surface pro', 'toshiba satellite', 'dell xps', 'galaxy book', 'portable ordinateur', 'portable ordi']),
  e(SC, 'Tablette', 0.6, ['tablette', 'tablette tactile', 'ipad', 'galaxy tab', 'tablette android', 'tablette numerique'], { variants: { verre: N, bois: N, murale: N, etagere: N, cheminee: N, chocolat: N } }),
  e(SC, 'Liseuse', 0.3, ['liseuse', 'kindle', 'kobo', 'liseuse electronique', 'livre electronique', 'ereader'], { variants: { lampe: S } }),
  e(SC, 'Cadre photo numérique', 0.8, ['cadre photo numerique', 'cadre numerique', 'cadre photo digital', 'cadre digital', 'cadre photo electronique', 'cadre connecte']),
  e(SC, 'Lecteur DVD portable', 1, ['lecteur dvd portable', 'dvd portable']),
  e(SC, 'Ordinateur tout-en-un', 8, ['tout en un', 'pc tout en un', 'ordinateur tout en un', 'imac']),
  e(SC, 'Minitel', 5, ['minitel']),

  // rule 3: the light source itself (a light fitting is equipment, sorted by size)
  e('lamps', 'Ampoule', 0.1, ['ampoule', 'ampoule led', 'ampoule basse consommation', 'ampoule basse conso', 'ampoule eco', 'ampoule fluocompacte', 'fluocompacte', 'ampoule halogene', 'ampoule economique', 'lampe basse consommation', 'lampe basse conso', 'lampe fluocompacte', 'lampe economique', 'lampe eco', 'lampe economie energie', 'led gu10', 'gu10', 'e27', 'e14', 'b22', 'ampoule vis', 'ampoule baionnette', 'ampoule filament', 'ampoule incandescence', 'crayon halogene', 'r7s']),
  e('lamps', 'Tube néon', 0.3, ['neon', 'tube neon', 'tube fluo', 'tube fluorescent', 'tube led', 'tube t8', 'tube t5']),
  e('lamps', 'Lampe à décharge', 0.3, ['lampe sodium', 'sodium', 'lampe sodium haute pression', 'lampe decharge', 'lampe iodure', 'iodure metallique', 'lampe vapeur mercure', 'ampoule sodium']),

  // rule 4: large equipment (a dimension over 50 cm)
  e(L, 'Lave-linge', 65, ['lave linge', 'machine laver', 'machine lave', 'machine linge', 'lave linge hublot', 'lave linge top', 'lavante', 'lave linge sechant'], { size: 'large' }),
  e(L, 'Lave-vaisselle', 45, ['lave vaisselle', 'lave vaiselle', 'lavevaisselle'], { size: 'large' }),
  e(L, 'Sèche-linge', 38, ['seche linge', 'seche linge condensation', 'seche linge evacuation'], { size: 'large', variants: { 'pompe chaleur': T } }),
  e(L, 'Cuisinière', 45, ['cuisiniere', 'gaziniere', 'piano cuisson', 'cuisiniere electrique', 'cuisiniere mixte', 'cuisiniere gaz'], { size: 'large' }),
  e(L, 'Four', 30, ['four', 'four encastrable', 'four electrique', 'four pyrolyse', 'four multifonction', 'four chaleur tournante'], { size: 'varies' }),
  e(L, 'Plaque de cuisson', 10, ['plaque cuisson', 'plaque induction', 'plaque vitroceramique', 'vitroceramique', 'table cuisson', 'table induction', 'plaque gaz'], { size: 'varies' }),
  e(L, 'Hotte aspirante', 12, ['hotte', 'hotte aspirante', 'hotte cuisine'], { size: 'large' }),
  e(L, 'Chauffe-eau', 40, ['chauffe eau', 'cumulus', 'ballon eau chaude', 'ballon electrique'], { twin: true, size: 'varies', variants: { thermodynamique: T, solaire: N } }),
  e(L, 'Radiateur électrique', 12, ['radiateur', 'radiateur electrique', 'convecteur', 'panneau rayonnant', 'radiateur inertie', 'seche serviette', 'radiateur seche serviette'], { twin: true, size: 'varies', variants: { huile: T, fonte: N, 'chauffage central': N } }),
  e(L, 'Tapis de course', 60, ['tapis course', 'tapis marche', 'velo appartement', 'velo elliptique', 'elliptique', 'rameur', 'home trainer'], { size: 'large' }),
  e(L, 'Tondeuse électrique', 18, ['tondeuse', 'tondeuse electrique', 'robot tondeuse', 'tondeuse robot', 'tondeuse gazon', 'scarificateur', 'broyeur vegetaux', 'taille haie', 'coupe bordure', 'debroussailleuse', 'tronconneuse'], { size: 'large', mechanical: true, variants: { helicoidale: N, thermique: N, essence: N } }),
  e(L, 'Lampadaire', 5, ['lampadaire', 'lampadaire halogene', 'lampe pied', 'halogene pied', 'lampadaire led', 'lampadaire liseuse', 'lampe sur pied'], { size: 'large' }),
  e(L, 'Lampadaire halogène', 5, ['halogene', 'lampe halogene'], { size: 'large', ambiguous: true, or: 'lamps', variants: { ampoule: 'lamps', crayon: 'lamps', r7s: 'lamps', culot: 'lamps', pied: L } }),
  e(L, 'Photocopieur', 60, ['photocopieur', 'photocopieuse', 'copieur'], { size: 'fixed' }),
  e(L, 'Piano numérique', 25, ['piano numerique', 'piano electrique', 'orgue electrique', 'synthetiseur', 'clavier arrangeur'], { size: 'large' }),
  e(L, 'Enceinte colonne', 15, ['enceinte colonne', 'colonne son', 'caisson basse', 'enceinte sono'], { size: 'varies' }),
  e(L, 'Nettoyeur haute pression', 12, ['nettoyeur haute pression', 'karcher', 'kaercher'], { size: 'large' }),
  e(L, 'Vélo électrique', 22, ['velo electrique', 'vae', 'trottinette electrique', 'hoverboard', 'gyropode', 'scooter electrique'], { size: 'large' }),
  e(L, 'Machine à coudre industrielle', 30, ['machine coudre industrielle'], { size: 'large' }),
  e(L, 'Baby-foot électronique', 50, ['flipper', 'borne arcade'], { size: 'large' }),
  e(L, 'Gros outillage électrique', 60, ['groupe electrogene', 'betonniere', 'motoculteur', 'fendeuse', 'fendeuse buche', 'fauteuil roulant electrique', 'traceur'], { size: 'large' }),
  e(L, 'Fauteuil électrique', 40, ['fauteuil releveur', 'fauteuil massant', 'fauteuil electrique', 'lit electrique', 'lit medicalise', 'sommier electrique', 'sommier relevable'], { size: 'large' }),
  e(L, 'Ventilateur colonne', 5, ['ventilateur colonne', 'ventilo colonne', 'ventilateur pied', 'ventilo pied', 'ventilateur tour'], { size: 'varies', ambiguous: true }),

  // rule 4: small equipment (no dimension over 50 cm); practice pins vacuum cleaners and microwaves
  e(S, 'Micro-ondes', 12, ['micro onde', 'microonde', 'micro onde grill', 'four micro onde', 'mo', 'micro ondes', 'micro', 'micro onde combine'], { size: 'fixed' }),
  e(S, 'Aspirateur', 5, ['aspirateur', 'aspi', 'aspirateur traineau', 'aspirateur balai', 'aspirateur main', 'aspirateur robot', 'robot aspirateur', 'roomba', 'aspirateur sans sac', 'aspirateur eau poussiere', 'aspirateur chantier', 'aspirateur cendre'], { size: 'fixed' }),
  e(S, 'Grille-pain', 1.5, ['grille pain', 'grillepain', 'toaster']),
  e(S, 'Bouilloire', 1.2, ['bouilloire', 'bouilloir', 'theiere electrique'], { mechanical: true, variants: { sifflante: N, siffleur: N, gaz: N } }),
  e(S, 'Cafetière', 1.8, ['cafetiere', 'cafetiere electrique', 'machine cafe', 'machine expresso', 'expresso', 'senseo', 'nespresso', 'dolce gusto', 'tassimo', 'percolateur', 'cafetiere filtre'], { mechanical: true, variants: { piston: N, italienne: N, moka: N, napolitaine: N, 'piston bodum': N } }),
  e(S, 'Robot cafetière broyeur', 9, ['robot cafe', 'broyeur cafe', 'expresso broyeur', 'machine cafe grain']),
  e(S, 'Moulin à café', 1, ['moulin cafe', 'moulin epice'], { mechanical: true }),
  e(S, 'Fer à repasser', 1.3, ['fer repasser', 'fer', 'centrale vapeur', 'defroisseur'], { mechanical: true, variants: { fonte: N, charbon: N } }),
  e(S, 'Sèche-cheveux', 0.6, ['seche cheveux', 'seche cheveu', 'sechoir cheveux', 'sechoir', 'brushing']),
  e(S, 'Lisseur', 0.4, ['lisseur', 'fer lisser', 'boucleur', 'fer boucler', 'brosse soufflante', 'epilateur', 'rasoir electrique', 'rasoir', 'tondeuse barbe', 'tondeuse cheveux', 'brosse dent electrique', 'brosse dents electrique'], { size: 'fixed', mechanical: true, variants: { jetable: N, surete: N, 'coupe chou': N } }),
  e(S, 'Mixeur', 1.2, ['mixeur', 'mixer', 'blender', 'mixeur plongeant', 'plongeur', 'hachoir', 'hachoir electrique', 'batteur', 'batteur electrique', 'fouet electrique', 'presse agrume', 'centrifugeuse', 'extracteur jus', 'blinder'], { mechanical: true }),
  e(S, 'Robot de cuisine', 4, ['robot', 'robot cuisine', 'robot menager', 'robot patissier', 'robot multifonction', 'thermomix', 'companion', 'cookeo', 'kitchenaid', 'multicuiseur', 'autocuiseur electrique', 'robot cuiseur']),
  e(S, 'Petit électroménager de cuisine', 3, ['friteuse', 'airfryer', 'air fryer', 'appareil raclette', 'raclette', 'appareil fondue', 'fondue electrique', 'crepiere', 'gaufrier', 'appareil croque monsieur', 'croque monsieur', 'plancha', 'plancha electrique', 'barbecue electrique', 'grill', 'grill viande', 'yaourtiere', 'machine pain', 'cuiseur riz', 'cuiseur vapeur', 'cuit vapeur', 'mijoteuse', 'sorbetiere', 'appareil panini', 'couteau electrique', 'ouvre boite electrique', 'chauffe biberon', 'sterilisateur', 'mini four', 'four posable', 'petit four', 'rotissoire', 'plaque chauffante', 'plaque electrique', 'rechaud electrique', 'trancheuse', 'machine soda', 'soda stream', 'sodastream', 'deshydrateur', 'machine pate', 'fontaine chocolat']),
  e(S, 'Perceuse', 1.8, ['perceuse', 'visseuse', 'perceuse visseuse', 'perforateur', 'visseuse devisseuse', 'meuleuse', 'disqueuse', 'ponceuse', 'scie sauteuse', 'scie circulaire', 'defonceuse', 'rabot electrique', 'decapeur thermique', 'pistolet colle', 'fer souder', 'outil electroportatif', 'outillage electrique', 'chargeur batterie outil', 'compresseur', 'scie electrique', 'outil electrique', 'poste souder', 'pistolet peinture', 'scie sabre', 'cloueur', 'agrafeuse electrique', 'pompe immergee', 'pompe vide cave', 'pompe eau', 'nettoyeur vitre', 'lave vitre', 'broyeur papier', 'destructeur document'], { mechanical: true }),
  e(S, 'Radio', 1, ['radio', 'radio reveil', 'radioreveil', 'poste radio', 'transistor', 'radio cassette', 'radio cd', 'tuner']),
  e(S, 'Chaîne hi-fi', 6, ['chaine hifi', 'chaine hi fi', 'hifi', 'mini chaine', 'micro chaine', 'ampli', 'amplificateur', 'platine', 'platine vinyle', 'tourne disque', 'platine cd', 'lecteur cd', 'lecteur cassette', 'platine cassette', 'magnetophone', 'enceinte', 'enceintes', 'baffle', 'haut parleur', 'barre son', 'home cinema', 'recepteur', 'enceinte bluetooth', 'juke box', 'egaliseur', 'platine dj', 'camera surveillance']),
  e(S, 'Casque audio', 0.3, ['casque audio', 'casque', 'ecouteur', 'oreillette', 'casque bluetooth', 'casque micro', 'micro casque', 'kit main libre', 'airpods', 'casque gamer', 'casque sans fil'], { size: 'fixed' }),
  e(S, 'Lecteur DVD', 2.5, ['lecteur dvd', 'lecteur blu ray', 'blu ray', 'magnetoscope', 'decodeur', 'decodeur tnt', 'adaptateur tnt', 'demodulateur', 'recepteur satellite', 'parabole']),
  e(S, 'Console de jeux', 2.5, ['console', 'console jeu', 'playstation', 'ps2', 'ps3', 'ps4', 'ps5', 'xbox', 'wii', 'nintendo', 'nintendo switch', 'switch lite', 'switch oled', 'game boy', 'gameboy', 'ds', 'manette', 'manette jeu', 'console portable'], { variants: { bois: N, entree: N, murale: N, meuble: N } }),
  e(S, 'Switch', 0.4, ['switch'], { ambiguous: true, or: IT, variants: { port: IT, ethernet: IT, netgear: IT, cisco: IT, reseau: IT, rj45: IT, link: IT, manageable: IT, poe: IT, joycon: S, jeu: S } }),
  e(S, 'Appareil photo', 0.5, ['appareil photo', 'apn', 'camescope', 'camera', 'reflex', 'camera sport', 'gopro', 'objectif', 'flash', 'polaroid', 'videoprojecteur', 'projecteur video', 'retroprojecteur', 'projecteur diapo', 'videoproj']),
  e(S, 'Guirlande lumineuse', 0.3, ['guirlande', 'guirlande lumineuse', 'guirlande electrique', 'guirlande led'], { size: 'fixed' }),
  e(S, 'Lampe', 1.2, ['lampe', 'lampe chevet', 'lampe bureau', 'lampe poser', 'luminaire', 'applique', 'applique murale', 'suspension', 'spot', 'veilleuse', 'lampe torche', 'torche', 'lampe frontale', 'lampe poche', 'projecteur led', 'projecteur chantier', 'lampe atelier', 'lampe salon', 'lampe table', 'lampe architecte', 'lampe liseuse', 'lampe lave', 'lampe sel', 'lampe led bureau'], { mechanical: true, variants: NON_ELECTRIC_LIGHT }),
  e(S, 'Plafonnier', 1.5, ['plafonnier', 'lustre', 'suspension luminaire', 'reglette'], { size: 'varies' }),
  e(S, 'Lampe solaire', 0.4, ['lampe solaire', 'lampe jardin', 'borne solaire', 'spot solaire', 'guirlande solaire', 'balise solaire', 'eclairage solaire', 'lanterne solaire', 'chargeur solaire', 'regulateur solaire', 'regulateur charge', 'micro onduleur', 'onduleur solaire'], { size: 'fixed' }),
  e(S, 'Lanterne', 0.5, ['lanterne'], { twin: true, ambiguous: true, or: N, variants: NON_ELECTRIC_LIGHT }),
  e(S, 'Ventilateur', 3, ['ventilateur', 'ventilo', 'brasseur air', 'chauffage soufflant', 'soufflant', 'chauffage appoint', 'radiateur soufflant', 'humidificateur', 'purificateur air', 'diffuseur huile', 'diffuseur', 'ventilateur bureau', 'ventilateur table']),
  e(S, 'Rafraîchisseur d’air', 6, ['rafraichisseur', 'rafraichisseur air'], { ambiguous: true, or: T }),
  e(S, 'Machine à coudre', 8, ['machine coudre', 'surjeteuse', 'brodeuse']),
  e(S, 'Jouet électronique', 0.8, ['jouet electrique', 'jouet electronique', 'jouet pile', 'voiture telecommandee', 'voiture radiocommandee', 'robot jouet', 'peluche electronique', 'peluche interactive', 'poupee interactive', 'jouet interactif', 'train electrique', 'circuit electrique', 'drone', 'talkie walkie', 'babyphone', 'ecoute bebe', 'jeu electronique', 'tamagotchi', 'lego technic motorise', 'vtech', 'furby']),
  e(S, 'Balance', 1, ['balance', 'pese personne', 'balance electronique', 'balance cuisine', 'pese bebe', 'tensiometre', 'thermometre electronique', 'nebuliseur', 'appareil massage', 'masseur', 'compteur velo'], { mechanical: true, variants: { roberval: N, aiguille: N, romaine: N, poids: N } }),
  e(S, 'Horloge', 0.6, ['horloge', 'pendule', 'pendule electrique', 'montre', 'montre connectee', 'minuteur', 'reveil', 'reveil matin'], { mechanical: true, variants: { remontoir: N, coucou: N, automatique: N, balancier: N, poids: N, comtoise: N } }),
  e(S, 'Thermostat', 0.3, ['thermostat', 'station meteo', 'detecteur fumee', 'programmateur chauffage']),
  e(S, 'Couverture chauffante', 1.5, ['couverture chauffante', 'couverture electrique', 'chauffe lit', 'plaid chauffant', 'surmatelas chauffant', 'coussin chauffant', 'bouillotte electrique']),
  e(S, 'Petit appareil électrique', 1, ['adaptateur', 'transformateur', 'rallonge', 'multiprise', 'chargeur', 'cable', 'cables', 'fils electrique', 'prise programmable', 'alimentation', 'bloc alimentation', 'cable hdmi', 'enrouleur electrique', 'telecommande'], { size: 'fixed' }),
  e(S, 'Instrument de musique électrique', 5, ['guitare electrique', 'basse electrique', 'ampli guitare', 'table mixage', 'micro chant', 'pedale effet']),

  // rule 4: small IT and telecom (phones always; a tower without its screen)
  e(IT, 'Téléphone portable', 0.2, ['telephone portable', 'portable', 'smartphone', 'iphone', 'gsm', 'mobile', 'tel portable', 'telephone mobile', 'galaxy', 'samsung galaxy', 'tel', 'tel mobile', 'xperia', 'redmi', 'oneplus', 'wiko', 'blackberry', 'portable clapet', 'telephone clapet'], { size: 'fixed' }),
  e(IT, 'Téléphone fixe', 0.6, ['telephone', 'telephone fixe', 'tel fixe', 'telephone sans fil', 'combine telephone', 'dect', 'fax', 'repondeur'], { size: 'fixed' }),
  e(IT, 'Imprimante', 6, ['imprimante', 'imprimante laser', 'imprimante jet encre', 'imprimante multifonction', 'imprimente', 'scanner', 'scanneur', 'multifonction', 'imprimante photo', 'imprimante 3d']),
  e(IT, 'Ordinateur de bureau', 8, ['ordinateur', 'ordi', 'pc', 'unite centrale', 'tour', 'tour pc', 'tour ordi', 'tour ordinateur', 'pc bureau', 'ordinateur bureau', 'uc', 'mac mini', 'serveur', 'nas', 'pc fixe', 'ordinateur fixe', 'pc gamer'], { variants: { cou: N, potier: S } }),
  e(IT, 'Clavier', 0.6, ['clavier', 'clavier ordinateur', 'clavier pc', 'clavier sans fil'], { variants: { yamaha: L, casio: L, roland: L, korg: L, piano: L, musique: L, touche: L, arrangeur: L } }),
  e(IT, 'Souris', 0.1, ['souris', 'souris sans fil']),
  e(IT, 'Box internet', 0.5, ['box', 'box internet', 'livebox', 'freebox', 'bbox', 'modem', 'routeur', 'switch reseau', 'switch ethernet', 'hub', 'repeteur wifi', 'cpl', 'borne wifi', 'decodeur box', 'routeur wifi', 'point acces wifi'], { variants: { rangement: N, chaussure: N, cadeau: N, bois: N, metal: N, bijou: N } }),
  e(IT, 'Disque dur', 0.3, ['disque dur', 'disque externe', 'disque dur externe', 'cle usb', 'ssd', 'hdd', 'lecteur disquette', 'graveur', 'lecteur dvd externe', 'carte graphique', 'carte mere', 'alimentation pc', 'barrette memoire', 'composant informatique', 'webcam', 'hub usb']),
  e(IT, 'Petit appareil informatique', 0.3, ['calculatrice', 'calculette', 'gps', 'tomtom', 'garmin', 'agenda electronique', 'dictaphone', 'baladeur', 'mp3', 'lecteur mp3', 'ipod', 'walkman', 'dictionnaire electronique', 'onduleur', 'talkie', 'raspberry', 'raspberry pi', 'arduino', 'interphone', 'visiophone']),

  // rule 6: photovoltaic panels only
  e(PV, 'Panneau solaire', 18, ['panneau solaire', 'panneau photovoltaique', 'panneau pv', 'module photovoltaique', 'module pv', 'module solaire', 'photovoltaique', 'kit solaire', 'plaque solaire', 'panneau solaire souple', 'capteur photovoltaique'], { twin: true, variants: { thermique: N, 'eau chaude': N, piscine: N, 'chauffe eau': N, 'tube sous vide': N, ballon: N } }),

  // rule 5: not electrical; `eee` is the category of the same object with electronics
  e(N, 'Capteur solaire thermique', 40, ['capteur solaire thermique', 'panneau solaire thermique', 'chauffage solaire piscine', 'capteur piscine', 'capteur thermique'], { eee: null }),
  e(N, 'Capteur solaire', 40, ['capteur solaire', 'chauffe eau solaire'], { eee: null, ambiguous: true, or: PV, variants: { photovoltaique: PV, pv: PV, piscine: N, thermique: N, 'eau chaude': N } }),
  e(N, 'Piles', 0.5, ['pile', 'piles', 'batterie', 'accu', 'accus', 'accumulateur', 'pile bouton', 'pile rechargeable', 'batterie voiture', 'batterie telephone', 'batterie portable', 'batterie lithium'], { eee: null }),
  e(N, 'Batterie externe', 0.3, ['batterie externe', 'powerbank', 'power bank'], { eee: null, ambiguous: true, or: IT }),
  e(N, 'Cartouches d’encre', 0.3, ['cartouche', 'cartouche encre', 'cartouche imprimante', 'toner', 'encre', 'recharge encre', 'ruban encreur', 'cartouche toner'], { eee: null }),
  e(N, 'Emballage', 1, ['emballage', 'emballage carton', 'polystyrene', 'papier bulle', 'carton emballage'], { eee: null }),
  e(N, 'Abat-jour', 0.5, ['abat jour', 'abatjour', 'abat jours'], { eee: null }),
  e(N, 'Accessoire', 0.5, ['housse', 'sacoche', 'etui', 'coque', 'protection ecran', 'support tv', 'support mural', 'support ecran', 'pied tv', 'sac ordinateur', 'mallette', 'notice', 'mode emploi', 'tapis souris', 'jeu video', 'jeux video', 'cd rom', 'cartouche jeu'], { eee: S }),
  e(N, 'Lampe non électrique', 1, ['lampe petrole', 'lampe huile', 'lampe tempete', 'photophore', 'bougie', 'lampe berger', 'lampe carbure'], { eee: S }),
  e(N, 'Meuble', 20, ['meuble', 'commode', 'armoire', 'buffet', 'bahut', 'etagere', 'bibliotheque', 'placard', 'vaisselier', 'meuble tv', 'table chevet', 'chevet', 'bureau', 'secretaire', 'console meuble', 'desserte', 'coiffeuse', 'penderie', 'meuble hifi', 'meuble tele', 'meuble television', 'meuble ordinateur', 'meuble informatique', 'meuble bas', 'meuble haut', 'meuble cuisine'], { eee: L }),
  e(N, 'Chaise', 5, ['chaise', 'tabouret', 'fauteuil', 'banc', 'pouf', 'canape', 'sofa', 'clic clac', 'rocking chair', 'transat', 'chaise haute'], { eee: L }),
  e(N, 'Table', 20, ['table', 'table basse', 'table manger', 'table jardin', 'table pliante', 'gueridon', 'table salon'], { eee: L }),
  e(N, 'Literie', 15, ['matelas', 'sommier', 'lit', 'lit bebe', 'tete lit', 'berceau'], { eee: L }),
  e(N, 'Linge de lit', 1.5, ['couette', 'oreiller', 'drap', 'draps', 'couverture', 'plaid', 'parure lit', 'surmatelas', 'edredon'], { eee: S }),
  e(N, 'Vaisselle', 0.5, ['vaisselle', 'assiette', 'verre', 'tasse', 'bol', 'mug', 'couvert', 'couverts', 'plat', 'saladier', 'carafe', 'theiere', 'soupiere', 'service vaisselle', 'service', 'ramequin', 'pichet', 'vase'], { eee: S }),
  e(N, 'Ustensile de cuisine', 1, ['casserole', 'poele', 'faitout', 'cocotte', 'cocotte minute', 'autocuiseur', 'marmite', 'moule', 'moule gateau', 'ustensile', 'ustensile cuisine', 'batterie cuisine', 'passoire', 'planche decouper', 'couteau', 'cafetiere italienne', 'moka', 'bialetti', 'wok', 'moulin poivre', 'moulin sel', 'thermos', 'glaciere', 'bouteille isotherme'], { eee: S }),
  e(N, 'Livre', 0.4, ['livre', 'bouquin', 'bd', 'bande dessinee', 'roman', 'magazine', 'revue', 'encyclopedie', 'dictionnaire', 'manga', 'livre poche'], { eee: S }),
  e(N, 'Vêtements', 0.4, ['vetement', 'fringue', 'habit', 'pull', 'pantalon', 'jean', 'robe', 'chemise', 'manteau', 'veste', 'blouson', 'tee shirt', 't shirt', 'jupe', 'chaussure', 'basket', 'botte', 'sac main', 'ceinture', 'textile', 'linge', 'linge maison', 'rideau', 'nappe', 'serviette', 'tissu', 'gilet'], { eee: S }),
  e(N, 'Jouet', 0.8, ['jouet', 'peluche', 'poupee', 'puzzle', 'jeu societe', 'jeu de societe', 'lego', 'playmobil', 'jeu construction', 'dinette', 'doudou', 'jeu bois', 'train', 'train bois', 'cuisine bois', 'cuisine enfant', 'voiture jouet', 'camion jouet', 'toupie', 'hochet', 'ours', 'nounours', 'figurine', 'voiture', 'camion'], { eee: S }),
  e(N, 'Vélo', 14, ['velo', 'bicyclette', 'vtt', 'trottinette', 'draisienne', 'poussette', 'landau', 'siege auto', 'velo enfant'], { eee: L }),
  e(N, 'Décoration', 1, ['cadre', 'tableau', 'miroir', 'bibelot', 'deco', 'decoration', 'bougeoir', 'chandelier', 'statuette', 'pot fleur', 'panier', 'corbeille', 'tapis', 'coussin', 'horloge murale manuelle'], { eee: S }),
  e(N, 'Outil manuel', 1, ['outil', 'outils', 'marteau', 'tournevis', 'cle molette', 'scie', 'pince', 'caisse outils', 'boite outils', 'niveau', 'serre joint', 'pelle', 'rateau', 'arrosoir', 'brouette', 'escabeau', 'echelle', 'chignole', 'balai mecanique', 'balai'], { eee: S }),
  e(N, 'Article de sport', 2, ['raquette', 'ballon', 'ski', 'skis', 'snowboard', 'roller', 'patin', 'halteres', 'haltere', 'tente', 'sac couchage', 'canne peche', 'club golf', 'skate'], { eee: S }),
  e(N, 'Hygiène', 0.2, ['brosse dent', 'brosse dents', 'brosse cheveux', 'peigne', 'bouillotte', 'thermometre', 'barometre'], { eee: S }),
  e(N, 'Objet divers', 1, ['valise', 'sac dos', 'bagage', 'cartable', 'cd', 'dvd', 'dvd film', 'sechoir linge', 'casque velo', 'casque moto', 'casque chantier', 'casque ski', 'casque equitation', 'disque vinyle', 'vinyle', 'vinyles', 'cassette video', 'vhs', 'k7', 'cassette audio', 'bocal', 'bouteille', 'parapluie', 'jeu carte', 'instrument musique', 'guitare', 'violon', 'flute', 'planche repasser', 'etendoir', 'sechoir linge pliant', 'seau', 'poubelle', 'bassine', 'cintre'], { eee: S }),
];

/** Brands that hint at a code when no item word is found (weak evidence only). */
export const BRAND_HINTS: Record<string, string> = {
  moulinex: S,
  seb: S,
  tefal: S,
  calor: S,
  rowenta: S,
  krups: S,
  kenwood: S,
  braun: S,
  babyliss: S,
  delonghi: S,
  magimix: S,
  dyson: S,
  philips: S,
  remington: S,
  russell: S,
  hoover: S,
  vorwerk: S,
  riviera: S,
  makita: S,
  ryobi: S,
  dewalt: S,
  bosch: S,
  jbl: S,
  bose: S,
  singer: S,
  vtech: S,
  hp: IT,
  canon: IT,
  epson: IT,
  brother: IT,
  lexmark: IT,
  logitech: IT,
  netgear: IT,
  alcatel: IT,
  motorola: IT,
  gigaset: IT,
  apple: IT,
  nokia: IT,
  huawei: IT,
  xiaomi: IT,
  synology: IT,
  dell: SC,
  acer: SC,
  asus: SC,
  lenovo: SC,
  toshiba: SC,
  sony: SC,
  lg: SC,
  samsung: SC,
  thomson: SC,
  archos: SC,
  msi: SC,
  liebherr: T,
  climadiff: T,
  whirlpool: L,
  indesit: L,
  brandt: L,
  candy: L,
  vedette: L,
  beko: L,
  miele: L,
  electrolux: L,
  sauter: L,
  ikea: N,
};

/** PC makers that sell no phones (today): "portable Dell" is a laptop. */
export const LAPTOP_ONLY_BRANDS = new Set([
  'dell',
  'hp',
  'acer',
  'msi',
  'compaq',
  'packard',
  'medion',
  'fujitsu',
  'toshiba',
]);

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
  jbl: 'JBL', bose: 'Bose', vtech: 'VTech', msi: 'MSI', archos: 'Archos', netgear: 'Netgear',
  synology: 'Synology', climadiff: 'Climadiff', ricoh: 'Ricoh', xerox: 'Xerox', kyocera: 'Kyocera',
  konica: 'Konica', gigaset: 'Gigaset', motorola: 'Motorola', garmin: 'Garmin', tomtom: 'TomTom',
  singer: 'Singer', kobo: 'Kobo', enphase: 'Enphase', wiko: 'Wiko', compaq: 'Compaq', karcher: 'Kärcher',
  black: 'Black & Decker', decker: 'Black & Decker', hisense: 'Hisense', haier: 'Haier', smeg: 'Smeg', sauter: 'Sauter', vedette: 'Vedette', bialetti: 'Bialetti',
};
